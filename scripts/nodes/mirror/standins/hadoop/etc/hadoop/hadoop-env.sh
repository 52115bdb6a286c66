# DISCO stand-in for Hadoop's hadoop-env.sh: the stand-in's python daemons do not read it;
# DISCO appends its JAVA_HOME and HADOOP_OPTS here as it would for real Hadoop.
