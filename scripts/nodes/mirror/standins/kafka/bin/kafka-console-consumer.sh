#!/bin/bash
# DISCO stand-in for Kafka's kafka-console-consumer.sh (see DISCO-STAND-IN at the top of this tree).
exec "$(dirname "$(readlink -f "$0")")/kafka-run-class.sh" console-consumer "$@"
