# storm: Nimbus and the UI on the master; Supervisors on the workers register through ZooKeeper.
local want=$((DISCO_WORKER_COUNT > 0 ? DISCO_WORKER_COUNT : 1))
disco_wait_port 2181 300 || disco_die "ZooKeeper is not reachable on port 2181"
disco_service storm-nimbus "$DISCO_USER" /opt/storm/bin/storm nimbus
disco_service storm-ui "$DISCO_USER" /opt/storm/bin/storm ui
if ((DISCO_WORKER_COUNT == 0)); then
  disco_service storm-supervisor "$DISCO_USER" /opt/storm/bin/storm supervisor
  disco_service storm-logviewer "$DISCO_USER" /opt/storm/bin/storm logviewer
fi
disco_wait_url http://127.0.0.1:8080/api/v1/cluster/summary 600 || disco_die "the Storm UI did not come up"
disco_step storm "waiting for ${want} Supervisor(s)"
disco_wait_count "$DISCO_STORM_WORKER_TIMEOUT_SECONDS" "$want" "Storm Supervisors" \
  disco_json_field http://127.0.0.1:8080/api/v1/cluster/summary supervisors \
  || disco_die "fewer than ${want} Supervisors registered within ${DISCO_STORM_WORKER_TIMEOUT_SECONDS} s"
