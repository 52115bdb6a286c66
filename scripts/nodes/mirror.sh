#!/bin/bash
# The real-node suite's artefact mirror: every download of the component catalog, in the Apache
# archive layout (<path> and <path>.sha512), built from what this machine's registries carry.
#
#   mirror.sh build [DIR]                      build or refresh DIR (default /var/cache/disco-nodes/mirror)
#   mirror.sh serve DIR ADDRESS PORT LOGFILE [--wrong-checksum PATH]
#                                              serve DIR over HTTP, one log line per request
#   mirror.sh check DIR                        verify every artefact and say where it comes from
#
# The paths come from the catalog (Sources/DiscoCore/Resources/components/*/component.json
# "downloads", which the composer writes into DISCO_DL_<ID>_PATH), so versions are never
# written here. Spark, Flink and ZooKeeper are repackaged from PyPI and Debian; Hadoop, Kafka,
# Storm and Zeppelin are stand-ins (python3 daemons, scripts/nodes/mirror/standins/) that answer
# what the install scripts and a user's smoke checks ask. Inputs are cached in
# DISCO_MIRROR_CACHE (default /var/cache/disco-nodes/mirror-inputs); an artefact is rebuilt only
# when it is missing, changed on disk, or its version or recipe changed.
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
helpers=$here/mirror
components=${DISCO_MIRROR_COMPONENTS:-$root/Sources/DiscoCore/Resources/components}
cache=${DISCO_MIRROR_CACHE:-/var/cache/disco-nodes/mirror-inputs}
# Set by each recipe: "real" or "stand-in", and where its content comes from.
KIND='' SOURCE=''

say() { printf 'mirror: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# catalog_rows: component, version, id, path, pinned sha512 ('-'), tab-separated.
catalog_rows() { python3 "$helpers/catalog.py" "$components"; }

pypi_file() { python3 "$helpers/pypi_fetch.py" "$1" "$2" "$3" "$cache/pypi"; }

# debian_debs DEST PACKAGE...: the candidate .deb of each package, downloaded once into the cache.
debian_debs() {
  local dest=$1 pkg ver file
  shift
  mkdir -p "$cache/debian"
  for pkg in "$@"; do
    ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
    [[ -n $ver ]] || die "apt-cache knows no package $pkg (run apt-get update?)"
    file=$(compgen -G "$cache/debian/${pkg}_${ver//:/%3a}_*.deb" | head -n1 || true)
    if [[ -z $file ]]; then
      say "downloading $pkg $ver from Debian"
      (cd "$cache/debian" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) \
        || die "apt-get download $pkg=$ver failed"
      file=$(compgen -G "$cache/debian/${pkg}_${ver//:/%3a}_*.deb" | head -n1)
    fi
    dpkg-deb -x "$file" "$dest"
  done
}

# ---- recipes: recipe_<component> VERSION STAGE fills STAGE (the tarball's top directory) ----

recipe_spark() {
  local v=$1 stage=$2 src sdist hadoop
  sdist=$(pypi_file pyspark "$v" sdist)
  src=$(mktemp -d "$cache/work/spark-src.XXXXXX")
  tar -xzf "$sdist" -C "$src"
  src=$src/pyspark-$v
  [[ -x $src/deps/bin/spark-class && -d $src/deps/jars ]] || die "$sdist has no deps/bin/spark-class or deps/jars"
  mkdir -p "$stage/python/lib" "$stage/examples/src/main"
  mv "$src/deps/bin" "$src/deps/sbin" "$src/deps/jars" "$src/deps/data" "$src/deps/licenses" "$stage/"
  mv "$src/deps/examples" "$stage/examples/src/main/python"
  mv "$src/pyspark" "$stage/python/pyspark"
  mv "$src"/lib/*.zip "$stage/python/lib/"
  cp "$src/README.md" "$stage/"
  cp -r "$helpers/spark/conf" "$stage/conf"
  hadoop=$(compgen -G "$stage/jars/hadoop-client-api-*.jar" | head -n1 | sed 's/.*-api-\(.*\)\.jar/\1/')
  printf 'Spark %s built for Hadoop %s\nRepackaged by the DISCO mirror from PyPI pyspark==%s (sdist).\n' \
    "$v" "${hadoop:-?}" "$v" >"$stage/RELEASE"
  {
    printf 'DISCO mirror: Spark %s repackaged from the PyPI sdist pyspark==%s into the\n' "$v" "$v"
    printf 'spark-%s-bin-hadoop3 layout. Everything under bin/, sbin/, jars/, python/, data/,\n' "$v"
    printf 'licenses/ and examples/src/main/python/ is the sdist'"'"'s own (deps/* and pyspark/).\n\n'
    printf 'Added by the mirror (not in the sdist):\n'
    printf '  conf/*.template  minimal templates written by the mirror (the sdist has no conf/)\n'
    printf '  RELEASE          written by the mirror\n'
    printf 'Missing compared with the Apache tarball: examples/jars (SparkPi in Scala; use\n'
    printf 'examples/src/main/python/pi.py), sbin/ scripts of the standalone master and workers.\n'
  } >"$stage/DISCO-MIRROR-NOTES"
  if [[ ! -x $stage/sbin/start-history-server.sh ]]; then
    install -m 0755 "$helpers/spark/start-history-server.sh" "$stage/sbin/start-history-server.sh"
    printf '  sbin/start-history-server.sh  a minimal equivalent written by the mirror\n' >>"$stage/DISCO-MIRROR-NOTES"
  fi
  rm -rf "${src%/*}"
  KIND=real SOURCE="PyPI pyspark==$v (sdist), repackaged"
}

recipe_flink() {
  local v=$1 stage=$2 src libs wheel
  libs=$(pypi_file apache-flink-libraries "$v" sdist)
  wheel=$(pypi_file apache-flink "$v" wheel)
  src=$(mktemp -d "$cache/work/flink-src.XXXXXX")
  tar -xzf "$libs" -C "$src"
  unzip -q "$wheel" 'pyflink/bin/*' 'pyflink/conf/*' 'pyflink/log/*' -d "$src/wheel"
  local d=$src/apache-flink-libraries-$v
  [[ -d $d/deps/lib && -f $src/wheel/pyflink/conf/config.yaml ]] || die "$libs or $wheel lacks deps/lib or conf/config.yaml"
  mv "$d/deps/lib" "$d/deps/opt" "$d/deps/plugins" "$d/deps/licenses" "$stage/"
  mv "$src/wheel/pyflink/bin" "$src/wheel/pyflink/conf" "$src/wheel/pyflink/log" "$stage/"
  mv "$d"/deps/bin/* "$stage/bin/"
  cp "$d/LICENSE" "$d/NOTICE" "$d/README.md" "$stage/"
  {
    printf 'DISCO mirror: Flink %s assembled from PyPI apache-flink-libraries==%s (sdist:\n' "$v" "$v"
    printf 'lib/, opt/, plugins/, licenses/, bin/bash-java-utils.jar) and the apache-flink==%s\n' "$v"
    printf 'wheel %s (bin/*.sh, conf/, log/). Nothing written by the mirror.\n' "${wheel##*/}"
    printf 'Missing compared with the Apache tarball: examples/ (WordCount.jar etc.) and\n'
    printf 'opt/flink-sql-gateway-*.jar (so bin/sql-client.sh cannot start).\n'
  } >"$stage/DISCO-MIRROR-NOTES"
  # A job for smoke checks, compiled against this very lib/ (written by the mirror, marked as such).
  if command -v javac >/dev/null && command -v jar >/dev/null; then
    mkdir -p "$src/classes" "$stage/examples/streaming"
    javac -nowarn -d "$src/classes" -cp "$stage/lib/*" "$helpers/flink/SumOfSquares.java"
    jar --create --file "$stage/examples/streaming/DiscoSumOfSquares.jar" --main-class org.disco.mirror.SumOfSquares -C "$src/classes" .
    printf 'Added by the mirror: examples/streaming/DiscoSumOfSquares.jar, a job written for DISCO\n' >>"$stage/DISCO-MIRROR-NOTES"
    printf '(scripts/nodes/mirror/flink/SumOfSquares.java): bin/flink run examples/streaming/DiscoSumOfSquares.jar [N] [PARALLELISM]\n' >>"$stage/DISCO-MIRROR-NOTES"
  else
    say "WARNING: no javac/jar on this host: the Flink artefact gets no smoke-check job"
  fi
  rm -rf "$src"
  KIND=real SOURCE="PyPI apache-flink-libraries==$v (sdist) + apache-flink==$v (wheel)"
}

recipe_zookeeper() {
  local v=$1 stage=$2 src deb_version jar name real
  src=$(mktemp -d "$cache/work/zookeeper-src.XXXXXX")
  # The server's runtime class path (zookeeper.jar's manifest) without Jetty (AdminServer; DISCO
  # disables it), findbugs annotations and jline (interactive zkCli only), plus log4j 1.2 output.
  debian_debs "$src" zookeeper libzookeeper-java libcommons-cli-java libcommons-io-java \
    libjackson2-annotations-java libjackson2-core-java libjackson2-databind-java libdropwizard-metrics-java \
    libnetty-java libslf4j-java liblog4j1.2-java libsnappy-java
  deb_version=$(dpkg-deb -f "$(compgen -G "$cache/debian/zookeeper_*.deb" | sort -V | tail -n1)" Version)
  mkdir -p "$stage/bin" "$stage/lib" "$stage/conf"
  for name in zookeeper zookeeper-jute commons-cli commons-io jackson-annotations jackson-core jackson-databind \
    metrics-core netty-buffer netty-codec netty-common netty-handler netty-resolver netty-transport \
    netty-transport-native-unix-common netty-transport-native-epoll slf4j-api slf4j-log4j12 log4j-1.2 snappy-java; do
    jar=$src/usr/share/java/$name.jar
    [[ -e $jar ]] || die "Debian's jars lack $name.jar"
    # The versioned name when Debian ships one (e.g. commons-cli-1.5.0.jar).
    real=$(find "$src/usr/share/java" -maxdepth 1 -name "$name-[0-9]*.jar" | sort -V | tail -n1)
    real=${real##*/}
    cp -L "$jar" "$stage/lib/${real:-$name.jar}"
  done
  cp "$src"/usr/share/zookeeper/bin/zk{Server,Cli,Cleanup}.sh "$stage/bin/"
  install -m 0755 "$helpers/zookeeper/zkEnv.sh" "$stage/bin/zkEnv.sh"
  cp "$src/etc/zookeeper/conf_example/log4j.properties" "$stage/conf/log4j.properties"
  sed 's|^dataDir=.*|dataDir=/tmp/zookeeper|' "$src/etc/zookeeper/conf_example/zoo.cfg" >"$stage/conf/zoo_sample.cfg"
  chmod 0755 "$stage"/bin/*.sh
  {
    printf 'stand-in: Debian ZooKeeper %s jars as %s\n\n' "${deb_version%%-*}" "$v"
    printf 'The jars in lib/ are Debian 12'"'"'s zookeeper %s and the libraries on its class path,\n' "$deb_version"
    printf 'taken unchanged from the .deb packages; bin/zkServer.sh, zkCli.sh and zkCleanup.sh are the\n'
    printf 'upstream scripts Debian ships; bin/zkEnv.sh (upstream'"'"'s environment script, which Debian\n'
    printf 'replaces by /etc/zookeeper/conf/environment) is written by the DISCO mirror. The version\n'
    printf 'named by the archive (%s) is the catalog'"'"'s; the server inside is %s.\n' "$v" "${deb_version%%-*}"
    printf 'Not included: Jetty (the AdminServer; DISCO disables it), jline (interactive zkCli).\n'
  } >"$stage/DISCO-STAND-IN"
  rm -rf "$src"
  KIND=stand-in SOURCE="Debian zookeeper $deb_version jars + upstream bin/ layout"
}

# Stand-ins: the tree under standins/<component>/, the shared python module, DISCO-STAND-IN.
recipe_standin() {
  local c=$1 v=$2 stage=$3
  [[ -d $helpers/standins/$c ]] || die "no stand-in for $c in $helpers/standins"
  cp -r "$helpers/standins/$c/." "$stage/"
  cp "$helpers/standins/disco_standin.py" "$stage/disco-standin/"
  printf '%s\n' "$v" >"$stage/disco-standin/VERSION"
  sed "s/@VERSION@/$v/g" "$stage/DISCO-STAND-IN" >"$stage/DISCO-STAND-IN.tmp"
  mv "$stage/DISCO-STAND-IN.tmp" "$stage/DISCO-STAND-IN"
  find "$stage/bin" -type f -exec chmod 0755 {} +
  KIND=stand-in SOURCE="python3 stand-in written for DISCO (scripts/nodes/mirror/standins/$c)"
}
recipe_hadoop() { recipe_standin hadoop "$@"; }
recipe_kafka() { recipe_standin kafka "$@"; }
recipe_storm() { recipe_standin storm "$@"; }
recipe_zeppelin() { recipe_standin zeppelin "$@"; }

# fingerprint COMPONENT VERSION PATH: changes when the version, path or recipe (code or files) does.
fingerprint() {
  local c=$1
  {
    printf '%s\n' "$2" "$3"
    declare -f "recipe_$c" recipe_standin write_tarball
    case $c in
      spark) find "$helpers/spark" -type f -print0 | sort -z | xargs -0 cat ;;
      flink) cat "$helpers/flink/SumOfSquares.java" ;;
      zookeeper) cat "$helpers/zookeeper/zkEnv.sh" ;;
      *) if [[ -d $helpers/standins/$c ]]; then
           find "$helpers/standins/$c" "$helpers/standins/disco_standin.py" -type f -print0 | sort -z \
             | xargs -0 sha256sum
         fi ;;
    esac
  } | sha256sum | cut -c1-64
}

# write_tarball WORK TOP OUT: OUT = gzip'd tar of WORK/TOP, owned by root, sorted, fixed mtimes.
write_tarball() {
  local work=$1 top=$2 out=$3
  mkdir -p "${out%/*}"
  tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' \
    -cf - "$top" | gzip -n -6 >"$out.part"
  mv -f "$out.part" "$out"
}

stamp_get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1; }

build() {
  local dir=${1:-/var/cache/disco-nodes/mirror} t0=$SECONDS c v id path pinned fp stamp out top work sum
  local -A keep=()
  # A build that stopped half-way leaves its staging behind; nothing else uses it.
  rm -rf "$cache/work"
  mkdir -p "$dir/.disco-mirror" "$cache/work"
  dir=$(cd "$dir" && pwd)
  local rows
  rows=$(catalog_rows) || die "cannot read the catalog in $components"
  [[ -n $rows ]] || die "the catalog in $components has no downloads"
  while IFS=$'\t' read -r c v id path pinned; do
    keep[$path]=1 keep[$path.sha512]=1
    [[ -z ${DISCO_MIRROR_ONLY:-} || " $DISCO_MIRROR_ONLY " == *" $c "* ]] || continue
    declare -F "recipe_$c" >/dev/null || die "no recipe for component '$c' ($path); add recipe_$c to $0"
    out=$dir/$path stamp=$dir/.disco-mirror/$id.stamp
    fp=$(fingerprint "$c" "$v" "$path")
    if [[ -f $out && -f $out.sha512 && $(stamp_get "$stamp" fingerprint) == "$fp" \
      && $(stamp_get "$stamp" size) == "$(stat -c %s "$out")" && $(stamp_get "$stamp" mtime) == "$(stat -c %Y "$out")" ]]; then
      say "up to date: $path ($(stamp_get "$stamp" kind))"
      continue
    fi
    say "building $path ($c $v)"
    top=${path##*/}; top=${top%.tgz}; top=${top%.tar.gz}
    work=$cache/work/$c
    rm -rf "$work"; mkdir -p "$work/$top"
    KIND='' SOURCE=''
    "recipe_$c" "$v" "$work/$top"
    write_tarball "$work" "$top" "$out"
    rm -rf "$work"
    sum=$(sha512sum "$out" | cut -d' ' -f1)
    printf '%s  %s\n' "$sum" "${path##*/}" >"$out.sha512"
    [[ $pinned == - || $pinned == "$sum" ]] \
      || say "WARNING: the catalog pins $id's SHA-512 to upstream's; nodes will refuse this $KIND artefact unless DISCO_DL_${id^^}_SHA512 is emptied"
    printf '%s\n' "component=$c" "version=$v" "path=$path" "kind=$KIND" "source=$SOURCE" "fingerprint=$fp" \
      "size=$(stat -c %s "$out")" "mtime=$(stat -c %Y "$out")" "sha512=$sum" >"$stamp"
    say "built $path: $KIND, $(du -h "$out" | cut -f1), from $SOURCE"
  done <<<"$rows"
  say "artefacts done after $((SECONDS - t0)) s"
  # Whatever the catalog no longer downloads (an old version) goes.
  local f rel
  while IFS= read -r -d '' f; do
    rel=${f#"$dir"/}
    [[ -n ${keep[$rel]:-} ]] || { say "removing $rel (not in the catalog)"; rm -f "$f"; }
  done < <(find "$dir" -path "$dir/.disco-mirror" -prune -o -type f -print0)
  for stamp in "$dir"/.disco-mirror/*.stamp; do
    [[ -e $stamp && -z ${keep[$(stamp_get "$stamp" path)]:-} ]] && rm -f "$stamp"
  done
  find "$dir" -mindepth 1 -type d -empty -delete
  say "mirror in $dir: $(du -sh --exclude=.disco-mirror "$dir" | cut -f1) in $((SECONDS - t0)) s"
}

check() {
  local dir=${1:-} c v id path pinned stamp want got status=0 n=0
  [[ -n $dir && -d $dir ]] || die "usage: mirror.sh check DIR (a directory built by mirror.sh build)"
  printf '%-10s %-8s %-9s %s\n' component version kind source
  while IFS=$'\t' read -r c v id path pinned; do
    stamp=$dir/.disco-mirror/$id.stamp
    if [[ ! -f $dir/$path || ! -f $dir/$path.sha512 ]]; then
      printf '%-10s %-8s %-9s %s\n' "$c" "$v" MISSING "$path or its .sha512 is not in $dir"; status=1; continue
    fi
    want=$(cut -d' ' -f1 "$dir/$path.sha512")
    got=$(sha512sum "$dir/$path" | cut -d' ' -f1)
    if [[ $want != "$got" ]]; then
      printf '%-10s %-8s %-9s %s\n' "$c" "$v" BAD "$path: SHA-512 $got is not the published $want"; status=1; continue
    fi
    if [[ $pinned != - && $pinned != "$got" ]]; then
      printf '%-10s %-8s %-9s %s\n' "$c" "$v" PINNED "the catalog pins another SHA-512 for $path"; status=1; continue
    fi
    printf '%-10s %-8s %-9s %s\n' "$c" "$v" "$(stamp_get "$stamp" kind)" "$(stamp_get "$stamp" source)"
    n=$((n + 1))
  done < <(catalog_rows)
  say "$n artefact(s) match their .sha512"
  return "$status"
}

serve() {
  (($# >= 4)) || die "usage: mirror.sh serve DIR ADDRESS PORT LOGFILE [--wrong-checksum PATH]"
  [[ -d $1 ]] || die "$1 is not a directory"
  exec python3 "$helpers/serve.py" "$@"
}

case ${1:-} in
  build) shift; build "$@" ;;
  serve) shift; serve "$@" ;;
  check) shift; check "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
