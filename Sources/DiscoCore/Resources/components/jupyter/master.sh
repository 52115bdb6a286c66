# jupyter: JupyterLab in a venv on the master, password login from an argon2id hash (jupyter_server verifies it).
local venv=/opt/jupyter cfg="$DISCO_HOME/.jupyter" tls_lines=""
disco_step jupyter "installing JupyterLab from PyPI"
[[ $DISCO_JUPYTER_PASSWORD_HASH =~ ^argon2:\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$ ]] \
  || disco_die "the password hash is not in the form argon2:\$argon2id\$v=19\$m=…,t=…,p=…\$<salt>\$<tag>"
disco_apt python3-venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check "jupyterlab${DISCO_JUPYTER_VERSION_SPEC}" ipykernel

install -d -m 0700 -o "$DISCO_USER" -g "$DISCO_USER" "$cfg"
if [[ $DISCO_JUPYTER_TLS == true ]]; then
  if [[ ! -f $cfg/disco.crt ]]; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=${DISCO_MASTER_NAME}" \
      -keyout "$cfg/disco.key" -out "$cfg/disco.crt" 2>/dev/null
  fi
  tls_lines="c.ServerApp.certfile = '$cfg/disco.crt'
c.ServerApp.keyfile = '$cfg/disco.key'"
fi
(umask 077; cat >"$cfg/jupyter_server_config.py" <<PY
# written by DISCO: password login only; the hash is argon2id (argon2-cffi's form).
c.ServerApp.ip = '0.0.0.0'
c.ServerApp.port = 8888
c.ServerApp.open_browser = False
c.ServerApp.allow_remote_access = True
c.ServerApp.root_dir = '${DISCO_HOME}'
c.IdentityProvider.token = ''
c.PasswordIdentityProvider.hashed_password = '${DISCO_JUPYTER_PASSWORD_HASH}'
c.PasswordIdentityProvider.password_required = True
c.PasswordIdentityProvider.allow_password_change = False
${tls_lines}
PY
)
chown -R "$DISCO_USER:$DISCO_USER" "$cfg"

# A PySpark (YARN) kernel when Spark is part of the cluster (possibly installed after this).
if disco_has spark; then
  cat >"$venv/bin/disco-pyspark-kernel" <<'SH'
#!/bin/bash
set -a; . /etc/disco/env; set +a
export SPARK_HOME=/opt/spark PYSPARK_PYTHON=/usr/bin/python3 PYSPARK_DRIVER_PYTHON=/opt/jupyter/bin/python
for z in "$SPARK_HOME"/python/lib/py4j-*-src.zip; do PYTHONPATH="$z${PYTHONPATH:+:$PYTHONPATH}"; done
export PYTHONPATH="$SPARK_HOME/python${PYTHONPATH:+:$PYTHONPATH}"
exec /opt/jupyter/bin/python -m ipykernel_launcher "$@"
SH
  chmod 0755 "$venv/bin/disco-pyspark-kernel"
  install -d "$venv/share/jupyter/kernels/pyspark"
  cat >"$venv/share/jupyter/kernels/pyspark/kernel.json" <<'JSON'
{ "display_name": "PySpark (YARN)", "language": "python",
  "argv": ["/opt/jupyter/bin/disco-pyspark-kernel", "-f", "{connection_file}"] }
JSON
fi
DISCO_UNIT_EXTRA="WorkingDirectory=${DISCO_HOME}" \
  disco_service jupyter "$DISCO_USER" "$venv/bin/jupyter" lab --no-browser
