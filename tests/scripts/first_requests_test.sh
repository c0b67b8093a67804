#!/usr/bin/env bash
# The first requests a newcomer sends (README "First requests", what ./scripts/demo prints, docs/api.md's
# example) against examples/datacenter.site.json: the first badge must be let in at the lobby at any hour,
# and the second must be a deny with a fixed reason (a revoked badge), whatever the time of day.
# Checked on the site file with jq, so it runs with the unit tests, without a server.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
site="$repo/examples/datacenter.site.json"
reader=rdr-lobby-in
failures=0

# access_at_lobby CARD_JSON: a summary of the card's person and their grants to the zone behind the lobby
# reader: {person, active, card_revoked, granted_at_every_hour, denied_by_a_grant}.
access_at_lobby() {
  jq -c --argjson card "$1" --arg reader "$reader" '
    ([.portals[] | select(any(.readers[]; .id == $reader)) | .to][0]) as $zone
    | ([.people[] | select(any(.cards[]?; .facility == $card.facility and .number == $card.number))][0]) as $person
    | ([.groups[] | select(any(.members[]?; . == $person.id)) | .id]) as $groups
    | ([.grants[] | select($person.id != null and (.person == $person.id or ((.group // "") as $g | $groups | index($g))))
        | select(.zones | index($zone))]) as $grants
    | {person: $person.id,
       active: ($person.status == "active"),
       card_revoked: ([$person.cards[]? | select(.number == $card.number)][0].revoked // false),
       granted_at_every_hour: any($grants[]; (.effect // "allow") == "allow" and (.revoked | not)
                                  and (.schedule | not) and (.valid_from | not) and (.valid_until | not)),
       denied_by_a_grant: any($grants[]; .effect == "deny")}' "$site"
}

check() { # check NAME CONDITION-DESCRIPTION JQ-FILTER SUMMARY
  if [[ -n "$4" ]] && jq -e "$3" <<<"$4" >/dev/null; then
    echo "ok   $1"
  else
    failures=$((failures + 1))
    echo "FAIL $1: $2"
    echo "  $4"
  fi
}

granted_at_every_hour='.active and (.card_revoked | not) and .granted_at_every_hour and (.denied_by_a_grant | not)'
revoked_badge='.card_revoked'

# The lobby badges of a document, in order: the "card" objects of its rdr-lobby-in requests.
lobby_cards() { grep -o "\"reader\":\"$reader\",\"card\":{[^}]*}" "$1" | sed 's/.*"card"://'; }
card_of() { jq -c --arg p "$1" '[.people[] | select(.id == $p) | .cards[0] | {facility, number}][0]' "$site"; }

mapfile -t readme < <(lobby_cards "$repo/README.md")
check readme_has_two_first_requests "README.md shows two badges at $reader" 'length == 2' \
  "$(printf '%s\n' "${readme[@]}" | jq -sc .)"
check readme_first_request_is_granted_at_every_hour "the person has no schedule-free grant to the lobby" \
  "$granted_at_every_hour" "$(access_at_lobby "${readme[0]:-null}")"
check readme_second_request_is_a_revoked_badge "the second badge is not revoked" \
  "$revoked_badge" "$(access_at_lobby "${readme[1]:-null}")"

mapfile -t api_doc < <(lobby_cards "$repo/docs/api.md")
check api_doc_example_is_granted_at_every_hour "the person has no schedule-free grant to the lobby" \
  "$granted_at_every_hour" "$(access_at_lobby "${api_doc[0]:-null}")"

# scripts/demo prints the curls for the people it names: card_of <granted person>, card_of <revoked person>.
mapfile -t demo_people < <(sed -n 's/^[a-z_]*_card="[$](card_of \([a-z-]*\))"$/\1/p' "$repo/scripts/demo")
check demo_names_two_people "scripts/demo names two people" 'length == 2' \
  "$(printf '%s\n' "${demo_people[@]}" | jq -Rsc 'split("\n") | map(select(. != ""))')"
check demo_first_request_is_granted_at_every_hour "the person has no schedule-free grant to the lobby" \
  "$granted_at_every_hour" "$(access_at_lobby "$(card_of "${demo_people[0]:-}")")"
check demo_second_request_is_a_revoked_badge "the second badge is not revoked" \
  "$revoked_badge" "$(access_at_lobby "$(card_of "${demo_people[1]:-}")")"

# seq must grow per device and the examples take it from the clock: sent as a device the demo's simulator
# also plays, they would race it and be refused ("seq goes backwards"). They use the demo's own device.
scenario="$repo/simulators/scenarios/day-in-a-datacenter.json"
example_devices() { grep -o '"device_id":"[^"]*"' "$@" | sed 's/.*:"\(.*\)"/\1/' | sort -u; }
example_devices="$(example_devices "$repo/README.md" "$repo/scripts/demo" "$repo/docs/api.md" |
  jq -Rsc 'split("\n") | map(select(. != ""))')"
check first_requests_use_a_device_the_simulator_does_not_play "an example is sent as a simulated device" \
  '(.devices | length > 0) and (.simulated | length == 0)' \
  "$(jq -c --argjson played "$(jq -c '[.steps[].device] | unique' "$scenario")" \
    '{devices: ., simulated: [.[] | select(. as $d | $played | index($d))]}' <<<"$example_devices")"
# Device binding is always on, and the demo enrols exactly the devices the site lists: the examples' device
# must be one of them, with the lobby reader in its scope.
check example_device_is_a_site_device_bound_to_the_reader "the examples' device is not a site device bound to $reader" \
  '(.devices | length > 0) and (.devices - .bound | length == 0)' \
  "$(jq -c --argjson bound "$(jq -c --arg r "$reader" '[.devices[] | select(.readers | index($r)) | .id]' "$site")" \
    '{devices: ., bound: $bound}' <<<"$example_devices")"

if [[ $failures -ne 0 ]]; then
  echo "$failures first-request test(s) failed"
  exit 1
fi
echo "all first-request tests passed"
