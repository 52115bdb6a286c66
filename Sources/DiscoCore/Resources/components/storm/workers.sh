# storm: a Supervisor and a log viewer on each worker; they retry until ZooKeeper/Nimbus answer.
disco_service storm-supervisor "$DISCO_USER" /opt/storm/bin/storm supervisor
disco_service storm-logviewer "$DISCO_USER" /opt/storm/bin/storm logviewer
