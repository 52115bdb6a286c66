# flink: one TaskManager per worker; it retries until the JobManager answers.
disco_service flink-taskmanager "$DISCO_USER" /opt/flink/bin/taskmanager.sh start-foreground
