#include "portcullis/api/stream_hub.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/asset_json.hpp"
#include "portcullis/json/stream_json.hpp"
#include "portcullis/operators/crypto/digest.hpp"

namespace portcullis::api {
namespace {

std::string query_value(const std::string& query, const std::string& key) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    const auto end = std::min(query.find('&', pos), query.size());
    const auto part = query.substr(pos, end - pos);
    const auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == key) return part.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

std::set<std::string> split_topics(const std::string& text) {
  std::set<std::string> topics;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find(',', pos), text.size());
    if (end > pos) topics.insert(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return topics;
}

}  // namespace

class StreamHub::Client : public http::StreamClient, public std::enable_shared_from_this<Client> {
 public:
  Client(StreamHub& hub, std::string session_hash, std::set<std::string> wanted,
         std::optional<std::int64_t> resume)
      : hub_(hub), token_hash(std::move(session_hash)), topics(std::move(wanted)), resume_from(resume) {}

  void on_open(std::shared_ptr<http::StreamConnection> c) override {
    connection = std::move(c);
    hub_.open(shared_from_this());
  }
  void on_message(const std::string& text) override { hub_.subscribe(*this, text); }
  void on_close() override { closed = true; }

  bool wants(const std::string& topic) const { return topics.empty() || topics.count(topic) > 0; }
  bool send(std::string message) {
    if (!connection || closed) return false;
    last_sent = std::chrono::steady_clock::now();
    return connection->send(std::move(message));
  }

  StreamHub& hub_;
  std::string token_hash;
  std::set<std::string> topics;
  std::optional<std::int64_t> resume_from;
  std::shared_ptr<http::StreamConnection> connection;
  std::atomic<bool> closed{false};
  bool needs_resync = false;
  std::chrono::steady_clock::time_point last_sent = std::chrono::steady_clock::now();
};

StreamHub::StreamHub(std::shared_ptr<const core::SiteModel> model, OperatorAccounts& accounts,
                     std::vector<std::string> allowed_origins, StreamLimits limits)
    : model_(std::move(model)),
      accounts_(accounts),
      allowed_origins_(std::move(allowed_origins)),
      limits_(limits),
      view_(model_) {}

StreamHub::~StreamHub() {
  stop();
}

void StreamHub::start() {
  running_ = true;
  timer_ = std::thread([this] {
    while (running_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      tick();
    }
  });
}

void StreamHub::stop() {
  running_ = false;
  if (timer_.joinable()) timer_.join();
}

std::size_t StreamHub::clients() const {
  std::lock_guard lock{mutex_};
  return clients_.size();
}

std::string StreamHub::open_alarms_json() const {
  std::lock_guard lock{mutex_};
  std::vector<core::AlarmRecord> alarms;
  for (const auto& [id, a] : open_alarms_) alarms.push_back(a);
  std::sort(alarms.begin(), alarms.end(), [](const auto& a, const auto& b) {
    return a.severity != b.severity ? a.severity > b.severity : a.raised_at < b.raised_at;
  });
  std::string out = "[";
  for (std::size_t i = 0; i < alarms.size(); ++i) out += (i ? "," : "") + json::alarm_json(alarms[i]);
  return out + "]";
}

std::int64_t StreamHub::seq() const {
  std::lock_guard lock{mutex_};
  return seq_;
}

std::variant<std::shared_ptr<http::StreamClient>, http::HttpResponse> StreamHub::accept(
    const http::HttpRequest& upgrade) {
  // Browsers send Origin and cannot be stopped from connecting cross-site: only listed origins pass.
  if (const auto* origin = upgrade.header("origin")) {
    if (std::find(allowed_origins_.begin(), allowed_origins_.end(), *origin) == allowed_origins_.end()) {
      return http::json_error(403, "origin", "origin not allowed: " + *origin);
    }
  }
  const auto* auth = upgrade.header("authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (auth == nullptr || auth->size() <= prefix.size() || auth->compare(0, prefix.size(), prefix) != 0) {
    return http::json_error(401, "authorization", "a session token is required in the Authorization header");
  }
  const auto token_hash = operators::crypto::sha256_hex(auth->substr(prefix.size()));
  if (!accounts_.principal_for(token_hash)) {
    return http::json_error(401, "authorization", "session unknown, expired or ended");
  }
  std::optional<std::int64_t> resume;
  const auto resume_text = query_value(upgrade.query, "resume_from");
  if (!resume_text.empty()) {
    try {
      resume = std::stoll(resume_text);
    } catch (const std::exception&) {
      return http::json_error(400, "resume_from", "expected an integer");
    }
  }
  return std::make_shared<Client>(*this, token_hash, split_topics(query_value(upgrade.query, "topics")),
                                  resume);
}

std::string StreamHub::snapshot() {
  std::vector<core::DoorView> doors;
  for (const auto& [id, d] : view_.doors()) doors.push_back(d);
  std::vector<core::AlarmRecord> alarms;
  for (const auto& [id, a] : open_alarms_) alarms.push_back(a);
  std::sort(alarms.begin(), alarms.end(), [](const auto& a, const auto& b) {
    return a.severity != b.severity ? a.severity > b.severity : a.raised_at < b.raised_at;
  });
  std::vector<std::string> racks;
  for (std::size_t r = 0; r < model_->rack_count(); ++r) racks.push_back(rack_view(r));
  std::vector<std::string> assets;
  for (const auto& [id, a] : assets_) assets.push_back(json::asset_json(a));
  return json::snapshot_message(seq_, doors, view_.zones(), alarms, view_.whereabouts(), racks, assets);
}

std::string StreamHub::rack_view(std::size_t rack) const {
  const auto& def = model_->rack(static_cast<core::Index>(rack)).def;
  std::vector<std::string> ids;
  for (const auto& [id, a] : assets_) {
    if (a.location.rack == def.id) ids.push_back(id);
  }
  // "none" without seals; "broken" when any current seal of the rack is broken or replaced unknowingly.
  std::string seal = "none";
  for (const auto& [id, s] : seals_) {
    if (s.def.rack != def.id || s.retired) continue;
    if (s.status != core::SealStatus::Intact) {
      seal = "broken";
      break;
    }
    seal = "intact";
  }
  return json::rack_json(def, ids.size(), ids, seal);
}

void StreamHub::open(const std::shared_ptr<Client>& client) {
  std::lock_guard lock{mutex_};
  clients_.push_back(client);
  const auto resume = client->resume_from;
  if (resume && *resume <= seq_ &&
      (*resume >= seq_ || (!ring_.empty() && *resume >= ring_.front().first - 1))) {
    for (const auto& [seq, entry] : ring_) {
      if (seq > *resume && client->wants(entry.first)) client->send(entry.second);
    }
    return;
  }
  client->send(snapshot());
}

void StreamHub::subscribe(Client& client, const std::string& text) {
  auto request = json::parse_subscribe(text);
  if (!request) return;
  std::lock_guard lock{mutex_};
  client.topics = request->topics;
}

void StreamHub::publish(const std::string& topic, const std::string& data_json) {
  ++seq_;
  auto message = json::delta_message(seq_, topic, data_json);
  for (auto& client : clients_) {
    if (client->needs_resync || !client->wants(topic)) continue;
    if (!client->send(message)) client->needs_resync = true;
  }
  ring_.emplace_back(seq_, std::make_pair(topic, std::move(message)));
  while (ring_.size() > limits_.replay_window) ring_.pop_front();
}

void StreamHub::on_update(const ingest::LiveUpdate& update, bool live) {
  std::lock_guard lock{mutex_};
  std::vector<std::pair<std::string, std::string>> deltas;
  if (update.model) {
    // A site reload or an admin edit: the view follows the new model; live clients get a fresh snapshot
    // (doors and zones may have been added or removed).
    model_ = update.model;
    view_.replace_model(model_);
    if (live) {
      for (auto& client : clients_) client->needs_resync = true;
    }
  }
  if (update.event && update.outcome) {
    const auto changes = view_.apply(*update.event, *update.outcome, update.site_seq, update.at);
    for (const auto& d : changes.doors) deltas.emplace_back("doors", json::door_json(d));
    for (const auto& z : changes.zones) deltas.emplace_back("zones", json::zone_json(z));
    if (changes.access) deltas.emplace_back("access", json::access_json(*changes.access));
  }
  std::set<std::string> racks_touched;
  for (const auto& asset : update.assets) {
    auto& known = assets_[asset.def.id.str()];
    if (!known.location.rack.empty()) racks_touched.insert(known.location.rack.str());
    if (!asset.location.rack.empty()) racks_touched.insert(asset.location.rack.str());
    known = asset;
    deltas.emplace_back("assets", json::asset_json(asset));
  }
  for (const auto& seal : update.seals) {
    seals_[seal.def.id.str()] = seal;
    if (!seal.def.rack.empty()) racks_touched.insert(seal.def.rack.str());
  }
  for (const auto& rack : racks_touched) {
    const auto index = model_->rack_index(core::RackId{rack});
    if (index != core::kNoIndex) deltas.emplace_back("racks", rack_view(index));
  }
  for (const auto& alarm : update.alarms) {
    if (alarm.state == core::AlarmState::Resolved)
      open_alarms_.erase(alarm.id);
    else
      open_alarms_[alarm.id] = alarm;
    deltas.emplace_back("alarms", json::alarm_json(alarm));
  }
  if (!live) return;  // replay at start-up: state only
  for (const auto& [topic, data] : deltas) publish(topic, data);
}

void StreamHub::on_reset() {
  std::lock_guard lock{mutex_};
  view_ = core::FacilityView{model_};
  open_alarms_.clear();
  assets_.clear();
  seals_.clear();
  // Clients see a fresh snapshot once the rebuild is done.
  for (auto& client : clients_) client->needs_resync = true;
}

void StreamHub::tick() {
  std::vector<std::shared_ptr<Client>> clients;
  {
    std::lock_guard lock{mutex_};
    clients = clients_;
  }
  // Session checks call into the accounts (their own lock): outside ours.
  std::vector<std::shared_ptr<Client>> ended;
  for (auto& client : clients) {
    if (!client->closed && !accounts_.session_valid(client->token_hash)) ended.push_back(client);
  }
  std::lock_guard lock{mutex_};
  const auto now = std::chrono::steady_clock::now();
  for (const auto& door : view_.relock_expired(core::SystemClock{}.now(), std::chrono::seconds(5))) {
    publish("doors", json::door_json(door));
  }
  for (auto& client : ended) {
    if (client->connection) client->connection->close("session ended");
    client->closed = true;
  }
  clients_.erase(
      std::remove_if(clients_.begin(), clients_.end(), [](const auto& c) { return c->closed.load(); }),
      clients_.end());
  for (auto& client : clients_) {
    if (!client->connection) continue;
    if (client->needs_resync && client->connection->queued() < limits_.resync_below_queued) {
      client->needs_resync = !client->send(snapshot());
    } else if (now - client->last_sent >= limits_.heartbeat_every) {
      client->send(json::heartbeat_message(seq_));
    }
  }
}

}  // namespace portcullis::api
