#!/usr/bin/env bash
# The demo itself, run by scripts/develop inside the `live` environment
# (python and hass on PATH are that environment's).
set -euo pipefail

HA_PORT=8123
SIM_PORT="${SIM_PORT:-8300}"
SIM_ARGS="${SIM_ARGS:---guests 300 --hotspots 3 --seed 1 --tick 5}"
export GUEST_WIFI_SIMULATOR_URL="http://127.0.0.1:${SIM_PORT}"
# The venue's time zone, for Home Assistant (configuration.yaml reads it, with
# the same default) and the simulator alike: Wiwiz gives wall-clock times, and
# "today" starts at the venue's midnight for both.
export GUEST_WIFI_TZ="${GUEST_WIFI_TZ:-Europe/Rome}"

# The configuration folder: ours is configuration.yaml; the rest is made here.
mkdir -p config/custom_components
ln -sfn "${PWD}/custom_components/guest_wifi" config/custom_components/guest_wifi
ln -sfn "${PWD}/simulator/ha_component/guest_wifi_simulator" \
  config/custom_components/guest_wifi_simulator

python -m simulator.demo --prepare-config config

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# shellcheck disable=SC2086
python -m simulator --host 127.0.0.1 --port "${SIM_PORT}" --tz "${GUEST_WIFI_TZ}" ${SIM_ARGS} \
  > config/simulator.log 2>&1 &
pids+=($!)

hass --config config --skip-pip \
  --log-file config/home-assistant.log > /dev/null 2>&1 &
pids+=($!)

echo "Starting Home Assistant $(python -c 'from homeassistant.const import __version__ as v; print(v)') (logs: config/home-assistant.log)..."
python -m simulator.demo \
  --ha "http://127.0.0.1:${HA_PORT}" --simulator "${GUEST_WIFI_SIMULATOR_URL}"

cat <<MSG

  Guest Wi-Fi demo is running.

    Home Assistant   http://127.0.0.1:${HA_PORT}
    Log in as        demo / demo-password
    Simulator        ${GUEST_WIFI_SIMULATOR_URL}/_admin/state

  Settings → Devices & services → Guest Wi-Fi shows the three accounts.
  Ctrl-C stops everything.

MSG
wait "${pids[@]}"
