#pragma once
// A small, known history for the report tests, sealed with ledger::seal and stored with EventStore::append,
// exactly as the sequencer stores it (canonical outcome JSON: {"alarms":[...],"decision":{...}|null}).
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"

namespace portcullis::testing {

// 2026-11-27T00:00:00Z
inline constexpr std::int64_t kDay = 1'795'737'600'000'000;
inline constexpr std::int64_t kHour = 3'600'000'000;
inline constexpr std::int64_t kMinute = 60'000'000;

struct Decision {
  std::string verdict, reason, person, portal, destination, rack;
};
struct Alarm {
  std::string kind, severity, subject, detail;
  bool silent = false;
};

struct HistoryEvent {
  std::int64_t received_us = kDay;
  std::string type = "credential";
  std::string device = "rdr-1";
  std::optional<Decision> decision;
  std::vector<Alarm> alarms;
  bool server_fact = false;  // outcome "{}" like site.loaded
  // Records the tests write verbatim (operator actions, alarm changes, asset records): canonical JSON text.
  std::optional<std::string> raw_payload;
  std::optional<std::string> raw_outcome;
  bool operator_record = false;  // source operator, no device
};

inline std::string outcome_json(const HistoryEvent& e) {
  if (e.raw_outcome) return *e.raw_outcome;
  if (e.server_fact) return "{}";
  nlohmann::json j;
  j["alarms"] = nlohmann::json::array();
  for (const auto& a : e.alarms) {
    nlohmann::json aj{{"kind", a.kind}, {"severity", a.severity}, {"subject", a.subject}};
    if (!a.detail.empty()) aj["detail"] = a.detail;
    if (a.silent) aj["silent"] = true;
    j["alarms"].push_back(aj);
  }
  if (e.decision) {
    nlohmann::json d{{"verdict", e.decision->verdict}, {"reason", e.decision->reason}};
    if (!e.decision->person.empty()) d["person"] = e.decision->person;
    if (!e.decision->portal.empty()) d["portal"] = e.decision->portal;
    if (!e.decision->destination.empty()) d["destination"] = e.decision->destination;
    if (!e.decision->rack.empty()) d["rack"] = e.decision->rack;
    j["decision"] = d;
  } else {
    j["decision"] = nullptr;
  }
  return j.dump();
}

// Appends events after the current head of `site`, sealed into its chain.
inline void append_history(const std::string& database, const std::string& site,
                           const std::vector<HistoryEvent>& events) {
  pqxx::connection c{database};
  storage::EventStore store{c};
  auto head = store.head(site);
  std::vector<ledger::EventRecord> records;
  ledger::Hash prev = head.hash;
  std::int64_t seq = head.site_seq;
  for (const auto& e : events) {
    ledger::EventRecord r;
    r.site_id = site;
    r.site_seq = ++seq;
    r.received_us = e.received_us;
    r.type = e.type;
    if (e.operator_record) {
      r.source = ledger::Source::Operator;
    } else if (e.server_fact) {
      r.source = ledger::Source::Server;
    } else {
      r.source = ledger::Source::Device;
      r.device_id = e.device;
      r.device_seq = seq;
      r.device_time_us = e.received_us - 1000;
    }
    r.payload = e.raw_payload ? *e.raw_payload : nlohmann::json{{"type", e.type}}.dump();
    r.outcome = outcome_json(e);
    prev = ledger::seal(r, prev);
    records.push_back(std::move(r));
  }
  pqxx::work tx{c};
  storage::EventStore::append(tx, records);
  tx.commit();
}

inline HistoryEvent access(std::int64_t at, std::string verdict, std::string reason, std::string person,
                           std::string portal, std::string zone, std::string rack = {}) {
  HistoryEvent e;
  e.received_us = at;
  e.decision = Decision{std::move(verdict), std::move(reason), std::move(person),
                        std::move(portal),  std::move(zone),   std::move(rack)};
  return e;
}

// A temporary directory removed at the end of the test.
struct TempDir {
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("portcullis-audit-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
  std::filesystem::path path;
};

inline std::vector<std::string> lines_of(const std::string& text, const std::string& eol) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(eol, start);
    if (end == std::string::npos) break;
    out.push_back(text.substr(start, end - start));
    start = end + eol.size();
  }
  return out;
}

}  // namespace portcullis::testing
