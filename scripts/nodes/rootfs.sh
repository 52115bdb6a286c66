#!/usr/bin/env bash
# A cloud-image-like root filesystem for the real-node suite, built with debootstrap and cached.
#
#   scripts/nodes/rootfs.sh debian-12|ubuntu-22.04|ubuntu-24.04 [CACHE]   -> prints the rootfs directory
#
# The image has what a distribution's cloud image has and DISCO's scripts rely on: systemd as init, cloud-init
# (NoCloud seed, user data run from cloud-final), openssh-server, python3, curl, sudo, locales, lsb-release.
# This machine reaches the registries through a TLS-inspecting proxy, so the host's local CAs go into the image
# (as an operator bakes a site CA into its images) and pip is told to use the system bundle.
# Rebuilt when absent or when the package list or the recipe number changes; built into DIR.tmp and renamed when complete.
# Exit 3: the distribution's archive did not answer (the caller skips that userland visibly).
set -Eeuo pipefail

distro=${1:?usage: rootfs.sh debian-12|ubuntu-22.04|ubuntu-24.04 [CACHE]}
cache=${2:-/var/cache/disco-nodes}
packages=python3-cffi-backend,systemd,systemd-sysv,dbus,cloud-init,openssh-server,python3,curl,ca-certificates,iproute2,iputils-ping,sudo,locales,lsb-release,gnupg,netbase,procps,less,kmod,cron
case $distro in
  debian-12)    suite=bookworm archive=http://deb.debian.org/debian extra=() ;;
  ubuntu-22.04) suite=jammy archive=http://archive.ubuntu.com/ubuntu extra=(--no-check-gpg "--components=main,universe") ;;
  ubuntu-24.04) suite=noble archive=http://archive.ubuntu.com/ubuntu extra=(--no-check-gpg "--components=main,universe") ;;
  *) echo "rootfs.sh: unknown userland '$distro' (accepted: debian-12, ubuntu-22.04, ubuntu-24.04)" >&2; exit 64 ;;
esac
dir=$cache/rootfs/$distro
recipe=1  # raise when the steps below change what the image holds
stamp=$(printf '%s %s %s' "$packages" "$suite" "$recipe" | sha256sum | cut -c1-16)
if [[ -f $dir/.disco-rootfs && $(cat "$dir/.disco-rootfs") == "$stamp" ]]; then echo "$dir"; exit 0; fi

if ! curl -fsS -o /dev/null --max-time 20 "$archive/dists/$suite/Release"; then
  echo "rootfs.sh: $archive does not answer for $suite" >&2; exit 3
fi
mkdir -p "$cache/rootfs"
rm -rf "$dir.tmp"
log=$cache/rootfs/$distro.log
t0=$SECONDS
echo "rootfs.sh: building $distro with debootstrap (log: $log)" >&2
# An older debootstrap lacks the newest Ubuntu suites' scripts; Ubuntu's own debootstrap links them all to gutsy.
script=()
if [[ ! -e /usr/share/debootstrap/scripts/$suite && $archive == *ubuntu* ]]; then script=(/usr/share/debootstrap/scripts/gutsy); fi
debootstrap --variant=minbase --include="$packages" "${extra[@]}" "$suite" "$dir.tmp" "$archive" "${script[@]}" >"$log" 2>&1 \
  || { tail -20 "$log" >&2; echo "rootfs.sh: debootstrap of $distro failed (log: $log)" >&2; exit 1; }

# cloud-init reads the NoCloud seed the suite writes; networking is set up by the suite like a VM's DHCP would.
cat >"$dir.tmp/etc/cloud/cloud.cfg.d/90-disco-nodes.cfg" <<'EOF'
datasource_list: [ NoCloud, None ]
network: {config: disabled}
manage_etc_hosts: true
EOF
# Each node gets its own machine id at first boot.
: >"$dir.tmp/etc/machine-id"
rm -f "$dir.tmp/var/lib/dbus/machine-id"
# The site CAs of this machine, and pip told to use the system bundle (not its own certifi copy).
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$dir.tmp/usr/local/share/ca-certificates/"
  chroot "$dir.tmp" update-ca-certificates >>"$log" 2>&1
fi
printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$dir.tmp/etc/pip.conf"
# A UTF-8 locale, as cloud images have.
sed -i 's/^# *\(en_US.UTF-8\)/\1/' "$dir.tmp/etc/locale.gen" 2>/dev/null || true
chroot "$dir.tmp" locale-gen >>"$log" 2>&1 || true
# No console getty in a container; nothing else in the image changes.
chroot "$dir.tmp" systemctl mask console-getty.service getty@tty1.service >>"$log" 2>&1 || true
chroot "$dir.tmp" apt-get clean >>"$log" 2>&1 || true

printf '%s' "$stamp" >"$dir.tmp/.disco-rootfs"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "rootfs.sh: $distro built in $((SECONDS - t0)) s, $(du -sm "$dir" | cut -f1) MB" >&2
echo "$dir"
