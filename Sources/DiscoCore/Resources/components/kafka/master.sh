# kafka: wait for the controller and for the brokers of the initial workers (a warning only: brokers keep retrying).
disco_wait_port 9093 300 || disco_die "the KRaft controller did not open port 9093"
((DISCO_WORKER_COUNT > 0)) || return 0
disco_step kafka "waiting for ${DISCO_WORKER_COUNT} broker(s) to join"
disco_wait_count "$DISCO_KAFKA_BROKER_TIMEOUT_SECONDS" "$DISCO_WORKER_COUNT" "Kafka brokers" disco_as_user bash -c \
  'LOG_DIR=/var/log/kafka /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-controller 127.0.0.1:9093 describe --replication | grep -c Observer' \
  || disco_log "WARNING: not every Kafka broker has joined yet"
