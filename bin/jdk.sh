# Sourced by ./mvnw and ./nightjar: points JAVA_HOME at a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then `java` on PATH, then the newest JDK 21+ under /usr/lib/jvm.
# POSIX sh, safe under `set -euf`.

nightjar_jdk_feature() {
  # Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing.
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
  fi
}

nightjar_jdk_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  nightjar_jdk_v=$(nightjar_jdk_feature "$1")
  [ -n "$nightjar_jdk_v" ] && [ "$nightjar_jdk_v" -ge 21 ]
}

nightjar_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && nightjar_jdk_ok "$JAVA_HOME"; then
    return 0
  fi
  nightjar_jdk_java=$(command -v java 2>/dev/null || true)
  if [ -n "$nightjar_jdk_java" ]; then
    nightjar_jdk_home=$(dirname "$(dirname "$(readlink -f "$nightjar_jdk_java")")")
    if nightjar_jdk_ok "$nightjar_jdk_home"; then
      JAVA_HOME=$nightjar_jdk_home
      export JAVA_HOME
      return 0
    fi
  fi
  nightjar_jdk_best=""
  nightjar_jdk_best_v=0
  case $- in *f*) nightjar_jdk_noglob=1; set +f ;; *) nightjar_jdk_noglob=0 ;; esac
  for nightjar_jdk_dir in /usr/lib/jvm/*/; do
    nightjar_jdk_dir=${nightjar_jdk_dir%/}
    [ -L "$nightjar_jdk_dir" ] && continue
    if nightjar_jdk_ok "$nightjar_jdk_dir" && [ "$nightjar_jdk_v" -gt "$nightjar_jdk_best_v" ]; then
      nightjar_jdk_best=$nightjar_jdk_dir
      nightjar_jdk_best_v=$nightjar_jdk_v
    fi
  done
  [ "$nightjar_jdk_noglob" = 1 ] && set -f
  if [ -z "$nightjar_jdk_best" ]; then
    echo "Nightjar needs a JDK 21 or newer: set JAVA_HOME, put one on PATH, or install one under /usr/lib/jvm." >&2
    return 1
  fi
  JAVA_HOME=$nightjar_jdk_best
  export JAVA_HOME
}
