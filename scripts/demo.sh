#!/usr/bin/env bash
# The main job: installs what is missing, builds, then runs the X API simulator (demo world, time
# running 60x), the exporter against it (config/example.toml) and a real Prometheus scraping the
# exporter, prints the URLs, and stops everything cleanly on Ctrl-C.
#
# Environment: EXPORTER_PORT (10877), PROMETHEUS_PORT (9090),
# CLOCK_SPEED (60), DEMO_DIR (a fresh temporary folder for logs and Prometheus data).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
# Fixed: config/example.toml points the exporter at the simulator's default address.
simulator_port=10880
exporter_port=${EXPORTER_PORT:-10877}
prometheus_port=${PROMETHEUS_PORT:-9090}
clock_speed=${CLOCK_SPEED:-60}
# The demo world's clock starts here so the example config's Posts are young enough for
# impressions; the exporter runs on the same clock (its 90-day rule reads it).
clock_start=2026-11-20T00:00:00Z

bash "$root/scripts/build.sh" --target x_api_simulator x_engagement_exporter

demo_dir=${DEMO_DIR:-$(mktemp -d /tmp/x-engagement-demo.XXXXXX)}
# Every demo restarts the simulated clock at $clock_start, so tallies a previous demo saved (from
# later simulated hours) would not fit: start the exporter's state afresh.
rm -f "$root/config/x-engagement-exporter.state.json"
mkdir -p "$demo_dir/prometheus-data"

for port in "$simulator_port" "$exporter_port" "$prometheus_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: port $port is already in use; stop what holds it, or set EXPORTER_PORT or PROMETHEUS_PORT (the simulator needs 10880)" >&2
    exit 1
  fi
done

pids=()
stop_all() {
  local code=$1
  trap - INT TERM EXIT
  echo
  echo "demo: stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo: stopped; logs are in $demo_dir"
  exit "$code"
}
# Ctrl-C and SIGTERM are the normal way to end the demo (exit 0); any other exit keeps its code.
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

wait_for() {  # url name pid
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "demo: $2 exited; its log:" >&2
      tail -n 20 "$demo_dir/$2.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "demo: $2 did not answer at $1" >&2
  exit 1
}

"$build_dir/simulator/x_api_simulator" \
  --web.listen-address="127.0.0.1:$simulator_port" \
  --clock.start="$clock_start" --clock.speed="$clock_speed" \
  >"$demo_dir/simulator.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$simulator_port/-/healthy" simulator "${pids[-1]}"

# The demo world's documented credentials (simulator/README.md), passed the way a Kubernetes
# Secret would be: as environment variables the config refers to.
export X_CONSUMER_KEY=demo-consumer-key X_CONSUMER_SECRET=demo-consumer-secret
export X_BEARER_TOKEN=demo-bearer-token
export X_ACME_ACCESS_TOKEN=1000001-acme-demo-token X_ACME_ACCESS_TOKEN_SECRET=acme-demo-token-secret
export X_GLOBEX_ACCESS_TOKEN=1000002-globex-demo-token X_GLOBEX_ACCESS_TOKEN_SECRET=globex-demo-token-secret
export X_INITECH_ARCHIVE_ACCESS_TOKEN=1000003-initech-demo-token
export X_INITECH_ARCHIVE_ACCESS_TOKEN_SECRET=initech-demo-token-secret

"$build_dir/exporter/x_engagement_exporter" \
  --config.file="$root/config/example.toml" \
  --web.listen-address="127.0.0.1:$exporter_port" \
  --clock.start="$clock_start" --clock.speed="$clock_speed" \
  >"$demo_dir/exporter.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$exporter_port/-/healthy" exporter "${pids[-1]}"

rule_files=""
if compgen -G "$root/rules/*.yml" >/dev/null; then rule_files="rule_files: ['$root/rules/*.yml']"; fi
cat >"$demo_dir/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
  evaluation_interval: 15s
$rule_files
scrape_configs:
  - job_name: x-engagement
    static_configs:
      - targets: ['127.0.0.1:$exporter_port']
  - job_name: x-api-simulator
    static_configs:
      - targets: ['127.0.0.1:$simulator_port']
YAML
prometheus --config.file="$demo_dir/prometheus.yml" \
  --storage.tsdb.path="$demo_dir/prometheus-data" \
  --web.listen-address="127.0.0.1:$prometheus_port" \
  >"$demo_dir/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$prometheus_port/-/ready" prometheus "${pids[-1]}"

cat <<TEXT

  x-engagement-exporter demo is running (simulated time runs ${clock_speed}x from $clock_start)

  Exporter     http://127.0.0.1:$exporter_port/          metrics: http://127.0.0.1:$exporter_port/metrics
  Simulator    http://127.0.0.1:$simulator_port/          (X API simulator, demo world)
  Prometheus   http://127.0.0.1:$prometheus_port/graph
               try: x_engagement_post_lifetime_impressions * on(post_id) group_left(account) x_engagement_post_info

  Grafana dashboards (import into an existing Grafana, data source: Prometheus above)
    files         $root/grafana/dashboards/*.json
    provisioning  copy $root/grafana/provisioning/dashboards.yml to
                  /etc/grafana/provisioning/dashboards/ and the dashboard files to the path it
                  names; datasources.yml there adds this Prometheus (set its url to
                  http://127.0.0.1:$prometheus_port); restart Grafana
    or in the UI  Dashboards > New > Import > Upload dashboard JSON file, once per file, then
                  pick the Prometheus data source
    details       $root/grafana/README.md

  Logs and Prometheus data: $demo_dir
  Press Ctrl-C to stop.

TEXT
wait -n "${pids[@]}" || true
echo "demo: a component exited unexpectedly; see the logs in $demo_dir" >&2
exit 1
