// engine_bench: the pure access engine on a campus-sized model (5,000 portals, 100,000 people, 1,000,000
// grants). Reports model build time and memory, decisions/s on one core, latency percentiles, and a baseline
// measured in the same run: a bare hash-map credential lookup loop doing the same number of lookups.
// A program, not a test: run it on a quiet machine, Release or RelWithDebInfo. Usage: engine_bench
// [decisions]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "portcullis/core/engine.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace {
using namespace portcullis::core;
using BenchClock = std::chrono::steady_clock;

constexpr int kBuildings = 50;
constexpr int kRoomsPerBuilding = 99;  // 50 x (1 + 99) = 5,000 zones below the root, one portal each
constexpr int kPeople = 100'000;
constexpr int kGrantsPerPerson = 9;  // 900,000 person grants
constexpr int kGroups = 1'000;
constexpr int kGrantsPerGroup = 100;  // + 100,000 group grants = 1,000,000

// Resident set size in bytes (Linux).
// CPU time of this thread: on a machine shared with other builds the wall clock also counts the time the
// thread waited for a core, which says nothing about the engine.
double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

std::string zone_name(int building, int room) {
  return room < 0 ? "b" + std::to_string(building)
                  : "b" + std::to_string(building) + "r" + std::to_string(room);
}

class TrivialVerifier final : public PinVerifier {
 public:
  PinMatch verify(std::string_view stored, std::string_view pin) const override {
    return stored.substr(6) == pin ? PinMatch::Match : PinMatch::Mismatch;
  }
};

SiteDefinition campus(std::mt19937_64& rng) {
  SiteDefinition s;
  s.site_id = "campus";
  s.version = "bench";
  s.settings.time_zone = TimeZoneRule{60, DstRule{{3, 5, 0, 120}, {10, 5, 0, 180}, 60}};
  s.tiers = {{0, {{Factor::Badge}}, false, false},
             {1, {{Factor::Badge}}, false, false},
             {2, {{Factor::Badge}}, false, false},
             {3, {{Factor::Badge, Factor::Pin}, {Factor::Badge, Factor::Biometric}}, true, false}};
  s.zones.push_back({ZoneId{"campus"}, "Campus", ZoneId{}, 0, ApbMode::None, 0, 0});
  auto add_portal = [&](const std::string& from, const std::string& to) {
    PortalDef p;
    p.id = PortalId{"p-" + to};
    p.from = ZoneId{from};
    p.to = ZoneId{to};
    p.readers = {{ReaderId{"in-" + to}, ReaderSide::Entry, kReadsBadge | kReadsPin},
                 {ReaderId{"bio-" + to}, ReaderSide::Entry, kReadsBiometric},
                 {ReaderId{"out-" + to}, ReaderSide::Exit, kReadsBadge}};
    s.portals.push_back(std::move(p));
  };
  for (int b = 0; b < kBuildings; ++b) {
    s.zones.push_back({ZoneId{zone_name(b, -1)}, "", ZoneId{"campus"}, 1, ApbMode::None, 0, 0});
    add_portal("campus", zone_name(b, -1));
    for (int r = 0; r < kRoomsPerBuilding; ++r) {
      const int tier = r % 10 == 0 ? 3 : 2;
      const ApbMode apb = r % 4 == 0 ? ApbMode::Hard : r % 4 == 1 ? ApbMode::Soft : ApbMode::None;
      s.zones.push_back({ZoneId{zone_name(b, r)}, "", ZoneId{zone_name(b, -1)}, tier, apb, 0, 0});
      add_portal(zone_name(b, -1), zone_name(b, r));
    }
  }
  s.schedules = {ScheduleDef{ScheduleId{"office-hours"}, "", {WeeklyWindow{0x1F, 7 * 60, 20 * 60}}, true},
                 ScheduleDef{ScheduleId{"always"}, "", {WeeklyWindow{0x7F, 0, 24 * 60}}, false}};
  s.people.reserve(kPeople);
  std::uniform_int_distribution<int> building(0, kBuildings - 1);
  std::uniform_int_distribution<int> room(0, kRoomsPerBuilding - 1);
  for (int i = 0; i < kPeople; ++i) {
    PersonDef p;
    p.id = PersonId{"u" + std::to_string(i)};
    p.name = p.id.str();
    p.clearance = {ClearanceStatus::Cleared,
                   Timestamp{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}}};
    p.cards = {CardDef{CredentialId{"c" + std::to_string(i)}, CardFormat::H10304_37, 100,
                       static_cast<std::uint64_t>(i), "", false}};
    p.pin_hash = "plain:" + std::to_string(1000 + i % 9000);
    s.people.push_back(std::move(p));
  }
  s.grants.reserve(static_cast<std::size_t>(kPeople) * kGrantsPerPerson + kGroups * kGrantsPerGroup);
  for (int i = 0; i < kPeople; ++i) {
    const int home = i % kBuildings;
    for (int g = 0; g < kGrantsPerPerson; ++g) {
      GrantDef grant;
      grant.id = GrantId{"g" + std::to_string(i) + "-" + std::to_string(g)};
      grant.person = PersonId{"u" + std::to_string(i)};
      if (g == 0) {
        grant.zones = {ZoneId{"campus"}, ZoneId{zone_name(home, -1)}};
      } else {
        grant.zones = {ZoneId{zone_name(home, room(rng))}, ZoneId{zone_name(home, room(rng))}};
        if (g % 3 == 0) grant.schedule = ScheduleId{"office-hours"};
        if (g == 8) grant.effect = GrantEffect::Deny;
      }
      s.grants.push_back(std::move(grant));
    }
  }
  for (int g = 0; g < kGroups; ++g) {
    GroupDef group{GroupId{"grp" + std::to_string(g)}, "", {}};
    for (int m = g; m < kPeople; m += kGroups) group.members.push_back(PersonId{"u" + std::to_string(m)});
    s.groups.push_back(std::move(group));
    for (int k = 0; k < kGrantsPerGroup; ++k) {
      GrantDef grant;
      grant.id = GrantId{"gg" + std::to_string(g) + "-" + std::to_string(k)};
      grant.group = GroupId{"grp" + std::to_string(g)};
      grant.zones = {ZoneId{zone_name(building(rng), room(rng))}};
      grant.schedule = ScheduleId{"always"};
      s.grants.push_back(std::move(grant));
    }
  }
  // Device binding is always on: the controller the events come from lists every reader and door.
  DeviceDef ctl;
  ctl.id = DeviceId{"ctl"};
  ctl.token_sha256 = std::string(64, 'a');
  for (const auto& p : s.portals) {
    ctl.portals.push_back(p.id);
    for (const auto& r : p.readers) ctl.readers.push_back(r.id);
  }
  s.devices.push_back(std::move(ctl));
  return s;
}

// The campus as a site file, to time the real load path (read JSON, check shape, validate, index).
std::string to_site_json(const SiteDefinition& s) {
  std::string out;
  out.reserve(256U << 20U);
  auto list = [&](const auto& ids) {
    out += '[';
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i].str() + "\"";
    out += ']';
  };
  out += R"({"format":"portcullis-site/1","site_id":"campus","version":"bench",)";
  out +=
      R"("time_zone":{"utc_offset":"+01:00","dst":{"start":"M3.5.0/02:00","end":"M10.5.0/03:00"}},"tiers":[)";
  out +=
      R"({"tier":0,"any_of":[["badge"]]},{"tier":1,"any_of":[["badge"]]},{"tier":2,"any_of":[["badge"]]},)";
  out +=
      R"({"tier":3,"any_of":[["badge","pin"],["badge","biometric"]],"clearance_required":true}],"zones":[)";
  for (std::size_t i = 0; i < s.zones.size(); ++i) {
    const auto& z = s.zones[i];
    out += (i ? ",{" : "{") + std::string{R"("id":")"} + z.id.str() + R"(","tier":)" + std::to_string(z.tier);
    if (!z.parent.empty()) out += R"(,"parent":")" + z.parent.str() + "\"";
    out += z.apb == ApbMode::Hard   ? R"(,"anti_passback":"hard"})"
           : z.apb == ApbMode::Soft ? R"(,"anti_passback":"soft"})"
                                    : "}";
  }
  out += R"(],"portals":[)";
  for (std::size_t i = 0; i < s.portals.size(); ++i) {
    const auto& p = s.portals[i];
    out += (i ? ",{" : "{") + std::string{R"("id":")"} + p.id.str() + R"(","from":")" + p.from.str() +
           R"(","to":")" + p.to.str() + R"(","readers":[{"id":")" + p.readers[0].id.str() +
           R"(","side":"entry","reads":["badge","pin"]},{"id":")" + p.readers[1].id.str() +
           R"(","side":"entry","reads":["biometric"]},{"id":")" + p.readers[2].id.str() +
           R"(","side":"exit","reads":["badge"]}]})";
  }
  out += R"(],"people":[)";
  for (std::size_t i = 0; i < s.people.size(); ++i) {
    const auto& p = s.people[i];
    out += (i ? ",{" : "{") + std::string{R"("id":")"} + p.id.str() + R"(","name":")" + p.name +
           R"(","clearance":{"status":"cleared","expires":"2030-01-01T00:00:00Z"},"cards":[{"id":")" +
           p.cards[0].id.str() + R"(","format":"H10304","facility":100,"number":)" +
           std::to_string(p.cards[0].number) + R"(}],"pin_hash":")" + p.pin_hash + "\"}";
  }
  out += R"(],"groups":[)";
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    out += (i ? ",{" : "{") + std::string{R"("id":")"} + s.groups[i].id.str() + R"(","members":)";
    list(s.groups[i].members);
    out += '}';
  }
  out +=
      R"(],"schedules":[{"id":"office-hours","windows":[{"days":["mon","tue","wed","thu","fri"],"start":"07:00","end":"20:00"}]},)";
  out +=
      R"({"id":"always","closed_on_holidays":false,"windows":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"start":"00:00","end":"24:00"}]}],"grants":[)";
  for (std::size_t i = 0; i < s.grants.size(); ++i) {
    const auto& g = s.grants[i];
    out += (i ? ",{" : "{") + std::string{R"("id":")"} + g.id.str() + "\",";
    out += g.person.empty() ? R"("group":")" + g.group.str() : R"("person":")" + g.person.str();
    out += R"(","zones":)";
    list(g.zones);
    if (!g.schedule.empty()) out += R"(,"schedule":")" + g.schedule.str() + "\"";
    if (g.effect == GrantEffect::Deny) out += R"(,"effect":"deny")";
    out += '}';
  }
  out += "]}";
  return out;
}

double percentile(std::vector<std::uint32_t>& v, double p) {
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  const long decisions = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  const bool with_json = argc > 2 && std::string{argv[2]} == "--json";
  std::mt19937_64 rng{42};

  const double rss0 = rss_mib();
  auto t0 = BenchClock::now();
  SiteDefinition def = campus(rng);
  const double generate_s = std::chrono::duration<double>(BenchClock::now() - t0).count();
  const double rss1 = rss_mib();
  t0 = BenchClock::now();
  BuildResult built = SiteModel::build(def);
  const double build_s = std::chrono::duration<double>(BenchClock::now() - t0).count();
  const double rss2 = rss_mib();
  if (!built.model) {
    std::fprintf(stderr, "campus model invalid: %s: %s\n", built.problems[0].json_path.c_str(),
                 built.problems[0].message.c_str());
    return 1;
  }
  const std::size_t portals = def.portals.size();
  const std::size_t grants = def.grants.size();
  double json_mib = 0;
  double json_load_s = 0;
  if (with_json) {
    const std::string text = to_site_json(def);
    json_mib = static_cast<double>(text.size()) / (1024.0 * 1024.0);
    def = SiteDefinition{};
    portcullis::site_file::Limits limits;
    limits.max_file_bytes = 1U << 30U;
    t0 = BenchClock::now();
    const auto loaded = portcullis::site_file::load_site_text(text, limits);
    json_load_s = std::chrono::duration<double>(BenchClock::now() - t0).count();
    if (!loaded.model) {
      std::fprintf(stderr, "campus JSON rejected: %s: %s\n", loaded.problems[0].json_path.c_str(),
                   loaded.problems[0].message.c_str());
      return 1;
    }
  }
  def = SiteDefinition{};  // the model keeps what it needs

  // The workload: a person mostly at readers of their home building (entries, exits, PINs), sometimes
  // anywhere.
  struct Input {
    DeviceEvent event;
    std::uint64_t card;
  };
  std::vector<Input> inputs;
  inputs.reserve(static_cast<std::size_t>(decisions));
  std::uniform_int_distribution<int> person(0, kPeople - 1);
  std::uniform_int_distribution<int> room(0, kRoomsPerBuilding - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  for (long i = 0; i < decisions; ++i) {
    const int p = person(rng);
    const int building = percent(rng) < 85 ? p % kBuildings : static_cast<int>(rng() % kBuildings);
    const int kind = percent(rng);
    const std::string zone = kind < 15 ? zone_name(building, -1) : zone_name(building, room(rng));
    DeviceEvent e;
    e.device = DeviceId{"ctl"};
    e.seq = i;
    if (kind < 70) {
      e.payload = CardPresented{ReaderId{"in-" + zone},
                                Card{CardFormat::H10304_37, 100, static_cast<std::uint64_t>(p), ""}};
    } else if (kind < 90) {
      e.payload = CardPresented{ReaderId{"out-" + zone},
                                Card{CardFormat::H10304_37, 100, static_cast<std::uint64_t>(p), ""}};
    } else {
      e.payload =
          PinEntered{ReaderId{"in-" + zone}, std::to_string(1000 + p % 9000), std::nullopt, PersonId{}};
    }
    inputs.push_back({std::move(e), static_cast<std::uint64_t>(p)});
  }

  Engine engine{built.model, std::make_shared<TrivialVerifier>()};
  std::vector<std::uint32_t> latency_ns(static_cast<std::size_t>(decisions));
  Timestamp now = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1}} + std::chrono::hours{9};
  long granted = 0;
  const auto run0 = BenchClock::now();
  const double cpu0 = thread_cpu_s();
  for (long i = 0; i < decisions; ++i) {
    now += std::chrono::microseconds{500};
    const auto a = BenchClock::now();
    const Outcome out = engine.apply(inputs[static_cast<std::size_t>(i)].event, now);
    const auto b = BenchClock::now();
    latency_ns[static_cast<std::size_t>(i)] =
        static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
    granted += out.decision && out.decision->verdict == Verdict::Grant ? 1 : 0;
  }
  const double run_s = std::chrono::duration<double>(BenchClock::now() - run0).count();
  const double run_cpu_s = thread_cpu_s() - cpu0;

  // Baseline: the same number of card lookups in a bare hash map, nothing else.
  std::unordered_map<std::uint64_t, std::uint32_t> bare;
  bare.reserve(kPeople);
  for (std::uint32_t i = 0; i < kPeople; ++i) bare.emplace((100ULL << 40U) | i, i);
  std::uint64_t checksum = 0;
  const auto base0 = BenchClock::now();
  const double base_cpu0 = thread_cpu_s();
  for (long i = 0; i < decisions; ++i) {
    const auto it = bare.find((100ULL << 40U) | inputs[static_cast<std::size_t>(i)].card);
    checksum += it == bare.end() ? 0 : it->second;
  }
  const double base_s = std::chrono::duration<double>(BenchClock::now() - base0).count();
  const double base_cpu_s = thread_cpu_s() - base_cpu0;

  std::printf("campus: %zu portals, %zu people, %zu grants, %zu zones\n", portals,
              built.model->person_count(), grants, built.model->zone_count());
  std::printf("generate definition: %.2f s (%.0f MiB)\n", generate_s, rss1 - rss0);
  std::printf("build model (validate + index): %.2f s, model memory %.0f MiB (RSS delta)\n", build_s,
              rss2 - rss1);
  if (with_json) {
    std::printf(
        "load the same campus from a %.0f MiB site file (parse, shape checks, validate, index): %.2f s\n",
        json_mib, json_load_s);
  }
  std::printf("decisions: %ld in %.2f s on one core = %.0f decisions/s (%.1f%% granted)\n", decisions, run_s,
              static_cast<double>(decisions) / run_s,
              100.0 * static_cast<double>(granted) / static_cast<double>(decisions));
  std::printf("decisions per CPU second (this thread's CPU time, %.2f s): %.0f\n", run_cpu_s,
              static_cast<double>(decisions) / run_cpu_s);
  std::printf("latency per decision: p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.2f us\n",
              percentile(latency_ns, 0.50), percentile(latency_ns, 0.99), percentile(latency_ns, 0.999),
              *std::max_element(latency_ns.begin(), latency_ns.end()) / 1000.0);
  std::printf("baseline: bare hash-map card lookup x %ld in %.3f s = %.0f lookups/s (checksum %llu)\n",
              decisions, base_s, static_cast<double>(decisions) / base_s,
              static_cast<unsigned long long>(checksum));
  std::printf("baseline per CPU second: %.0f lookups\n", static_cast<double>(decisions) / base_cpu_s);
  std::printf("engine state after run: %zu people with presence\n", engine.state().presence.size());
  return 0;
}
