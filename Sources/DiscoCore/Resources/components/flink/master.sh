# flink: the JobManager; TaskManagers on the workers register themselves.
local want=$((DISCO_WORKER_COUNT > 0 ? DISCO_WORKER_COUNT : 1))
disco_service flink-jobmanager "$DISCO_USER" /opt/flink/bin/jobmanager.sh start-foreground
if ((DISCO_WORKER_COUNT == 0)); then
  disco_service flink-taskmanager "$DISCO_USER" /opt/flink/bin/taskmanager.sh start-foreground
fi
disco_wait_url http://127.0.0.1:8081/overview 300 || disco_die "the Flink REST API did not come up"
disco_step flink "waiting for ${want} TaskManager(s)"
disco_wait_count "$DISCO_FLINK_WORKER_TIMEOUT_SECONDS" "$want" "Flink TaskManagers" \
  disco_json_field http://127.0.0.1:8081/overview taskmanagers \
  || disco_die "fewer than ${want} TaskManagers registered within ${DISCO_FLINK_WORKER_TIMEOUT_SECONDS} s"
