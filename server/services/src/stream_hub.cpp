#include "portcullis/services/stream_hub.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <set>
#include <string_view>

#include "portcullis/json/alarm_json.hpp"
#include "portcullis/json/asset_json.hpp"
#include "portcullis/json/stream_json.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/util/bearer.hpp"
#include "portcullis/util/query_string.hpp"

namespace portcullis::services {
namespace {

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

// Topics as bits, so that filtering a pass's deltas for a client is a mask test.
constexpr std::uint32_t kAllTopics = ~std::uint32_t{0};
std::uint32_t topic_bit(std::string_view topic) {
  static constexpr std::string_view kTopics[] = {"doors", "zones", "access", "assets", "racks", "alarms"};
  for (std::size_t i = 0; i < std::size(kTopics); ++i) {
    if (kTopics[i] == topic) return std::uint32_t{1} << i;
  }
  return std::uint32_t{1} << 31;  // any other topic: only for clients that take everything
}
std::uint32_t topic_mask(const std::set<std::string>& topics) {
  if (topics.empty()) return kAllTopics;
  std::uint32_t mask = 0;
  for (const auto& t : topics) mask |= topic_bit(t);
  return mask;
}

}  // namespace

// Lock order: the hub's mutex_, then a client's mutex. Everything a client is sent goes out under its
// mutex, with `cursor` (the last seq the client has been given or that its snapshot covers), so deltas
// reach it once and in order whichever thread sends (fan-out, open, resync).
class StreamHub::Client : public http::StreamClient, public std::enable_shared_from_this<Client> {
 public:
  Client(StreamHub& hub, std::string session_hash, std::set<std::string> wanted,
         std::optional<std::int64_t> resume)
      : hub_(hub), token_hash(std::move(session_hash)), resume_from(resume), topics(topic_mask(wanted)) {}

  void on_open(std::shared_ptr<http::StreamConnection> c) override {
    connection = std::move(c);
    hub_.open(shared_from_this());
  }
  void on_message(const std::string& text) override { hub_.subscribe(*this, text); }
  void on_close() override { closed = true; }

  // With mutex held: a frame of its own (snapshot, heartbeat).
  bool send(http::StreamConnection::Message message) {
    if (!connection || closed) return false;
    last_sent = std::chrono::steady_clock::now();
    return connection->send(std::move(message));
  }
  // With mutex held: the deltas past the cursor that the client wants.
  void deliver(const std::vector<Entry>& entries, std::vector<http::StreamConnection::Message>& scratch) {
    if (entries.empty() || !connection || closed || needs_resync) return;
    scratch.clear();
    for (const auto& e : entries) {
      if (e.seq > cursor && (topics & e.topic) != 0) scratch.push_back(e.message);
    }
    cursor = std::max(cursor, entries.back().seq);
    if (scratch.empty()) return;
    if (connection->send_deltas(scratch)) {
      last_sent = std::chrono::steady_clock::now();
    } else {
      needs_resync = true;
    }
  }

  StreamHub& hub_;
  const std::string token_hash;
  const std::optional<std::int64_t> resume_from;
  std::shared_ptr<http::StreamConnection> connection;  // set before the client is listed
  std::atomic<bool> closed{false};
  std::atomic<bool> needs_resync{false};

  std::mutex mutex;
  std::uint32_t topics;                                                                // with mutex
  std::int64_t cursor = 0;                                                             // with mutex
  std::chrono::steady_clock::time_point last_sent = std::chrono::steady_clock::now();  // with mutex
};

StreamHub::StreamHub(std::shared_ptr<const core::SiteModel> model, OperatorAccounts& accounts,
                     std::vector<std::string> allowed_origins, StreamLimits limits)
    : model_(std::move(model)),
      accounts_(accounts),
      allowed_origins_(std::move(allowed_origins)),
      limits_(limits),
      view_(model_),
      rack_contents_(std::make_unique<json::RackContents>()) {}

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
  fan_out_thread_ = std::thread([this] { fan_out(); });
}

void StreamHub::stop() {
  {
    std::lock_guard lock{mutex_};
    running_ = false;
  }
  published_.notify_all();
  if (timer_.joinable()) timer_.join();
  if (fan_out_thread_.joinable()) fan_out_thread_.join();
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
  const auto token = auth == nullptr ? std::nullopt : util::bearer_token(*auth);
  if (!token) {
    return http::json_error(401, "authorization", "a session token is required in the Authorization header");
  }
  const auto token_hash = operators::crypto::sha256_hex(*token);
  if (!accounts_.principal_for(token_hash)) {
    return http::json_error(401, "authorization", "session unknown, expired or ended");
  }
  const auto query = util::parse_query(upgrade.query);
  if (!query) return http::json_error(400, query.error().field, query.error().message);
  std::optional<std::int64_t> resume;
  const auto resume_text = query->value_or_empty("resume_from");
  if (!resume_text.empty()) {
    // The whole text is the number: "1278abc", "+1278" or "1278.9" are refused, not read as 1278.
    std::int64_t value = 0;
    const auto* end = resume_text.data() + resume_text.size();
    const auto [stop, error] = std::from_chars(resume_text.data(), end, value);
    if (error != std::errc{} || stop != end || value < 0)
      return http::json_error(400, "resume_from", "expected a non-negative integer");
    resume = value;
  }
  return std::make_shared<Client>(*this, token_hash, split_topics(query->value_or_empty("topics")), resume);
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
  // By id, as they were listed when assets_ was an ordered map.
  std::vector<const core::AssetState*> by_id;
  by_id.reserve(assets_.size());
  for (const auto& [id, a] : assets_) by_id.push_back(&a);
  std::sort(by_id.begin(), by_id.end(),
            [](const auto* a, const auto* b) { return a->def.id.str() < b->def.id.str(); });
  assets.reserve(by_id.size());
  for (const auto* a : by_id) assets.push_back(json::asset_json(*a));
  return json::snapshot_message(seq_, doors, view_.zones(), alarms, view_.whereabouts(), racks, assets);
}

std::string StreamHub::rack_view(std::size_t rack) const {
  const auto& def = model_->rack(static_cast<core::Index>(rack)).def;
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
  return json::rack_json(def, *rack_contents_, seal);
}

void StreamHub::open(const std::shared_ptr<Client>& client) {
  std::lock_guard lock{mutex_};
  clients_.push_back(client);
  std::lock_guard client_lock{client->mutex};
  client->cursor = seq_;
  const auto resume = client->resume_from;
  if (resume && *resume <= seq_ &&
      (*resume >= seq_ || (!ring_.empty() && *resume >= ring_.front().seq - 1))) {
    std::vector<http::StreamConnection::Message> missed;
    for (const auto& e : ring_) {
      if (e.seq > *resume && (client->topics & e.topic) != 0) missed.push_back(e.message);
    }
    // More than the client's queue holds: a snapshot instead.
    if (missed.empty() || client->connection->send_deltas(missed)) return;
  }
  client->send(std::make_shared<const std::string>(snapshot()));
}

void StreamHub::subscribe(Client& client, const std::string& text) {
  auto request = json::parse_subscribe(text);
  if (!request) return;
  std::lock_guard lock{client.mutex};
  client.topics = topic_mask(request->topics);
}

void StreamHub::publish(const std::string& topic, const std::string& data_json) {
  ++seq_;
  ring_.push_back(Entry{seq_, topic_bit(topic),
                        std::make_shared<const std::string>(json::delta_message(seq_, topic, data_json))});
  while (ring_.size() > limits_.replay_window) ring_.pop_front();
}

void StreamHub::fan_out() {
  std::vector<Entry> entries;
  std::vector<std::shared_ptr<Client>> clients;
  std::vector<http::StreamConnection::Message> scratch;
  auto last_pass = std::chrono::steady_clock::now() - limits_.fanout_linger;
  std::unique_lock lock{mutex_};
  std::int64_t done = seq_;  // handed over through this seq
  while (true) {
    published_.wait(lock, [&] { return !running_ || seq_ != done; });
    if (!running_) return;
    if (std::chrono::steady_clock::now() - last_pass < limits_.fanout_linger) {
      lock.unlock();
      std::this_thread::sleep_until(last_pass + limits_.fanout_linger);
      lock.lock();
      if (!running_) return;
    }
    last_pass = std::chrono::steady_clock::now();
    entries.clear();
    if (seq_ < done || ring_.empty() || ring_.front().seq > done + 1) {
      // The ring moved past what was handed over (a reset, or this thread starved for a whole replay
      // window): nobody can be given a gapless stream, everyone gets a snapshot.
      for (auto& client : clients_) client->needs_resync = true;
    } else {
      const auto first = static_cast<std::size_t>(done + 1 - ring_.front().seq);
      entries.assign(ring_.begin() + static_cast<std::ptrdiff_t>(first), ring_.end());
    }
    done = seq_;
    clients = clients_;
    lock.unlock();
    for (auto& client : clients) {
      std::lock_guard client_lock{client->mutex};
      client->deliver(entries, scratch);
    }
    clients.clear();
    entries.clear();
    lock.lock();
  }
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
  if (update.view) view_ = *update.view;  // a start-up from an engine snapshot
  if (update.event && update.outcome) {
    const auto changes = view_.apply(*update.event, *update.outcome, update.site_seq, update.at);
    for (const auto& d : changes.doors) deltas.emplace_back("doors", json::door_json(d));
    for (const auto& z : changes.zones) deltas.emplace_back("zones", json::zone_json(z));
    if (changes.access) deltas.emplace_back("access", json::access_json(*changes.access));
  }
  if (update.facts) {
    // The engine's word on modes, controllers heard, occupancy, lockdown and fire (after the batch).
    const auto changes = view_.apply_facts(*update.facts);
    for (const auto& d : changes.doors) deltas.emplace_back("doors", json::door_json(d));
    for (const auto& z : changes.zones) deltas.emplace_back("zones", json::zone_json(z));
  }
  for (const auto& asset : update.assets) {
    const auto& id = asset.def.id.str();
    // Racks whose contents changed: old and new location, and old and new home rack (present / expected).
    for (auto& rack : rack_contents_->update(asset))
      if (live) dirty_racks_.insert(std::move(rack));
    assets_[id] = asset;
    if (live) deltas.emplace_back("assets", json::asset_json(asset));
  }
  for (const auto& seal : update.seals) {
    seals_[seal.def.id.str()] = seal;
    if (live && !seal.def.rack.empty()) dirty_racks_.insert(seal.def.rack.str());
  }
  for (const auto& alarm : update.alarms) {
    if (alarm.state == core::AlarmState::Resolved)
      open_alarms_.erase(alarm.id);
    else
      open_alarms_[alarm.id] = alarm;
    deltas.emplace_back("alarms", json::alarm_json(alarm));
  }
  if (!live || deltas.empty()) return;  // replay at start-up: state only
  for (const auto& [topic, data] : deltas) publish(topic, data);
  published_.notify_one();  // the fan-out thread takes it from here
}

void StreamHub::on_reset() {
  std::lock_guard lock{mutex_};
  view_ = core::FacilityView{model_};
  open_alarms_.clear();
  assets_.clear();
  seals_.clear();
  rack_contents_->clear();
  dirty_racks_.clear();
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
  bool published = false;
  for (const auto& door : view_.relock_expired(core::SystemClock{}.now(), std::chrono::seconds(5))) {
    publish("doors", json::door_json(door));
    published = true;
  }
  for (const auto& rack : dirty_racks_) {
    const auto index = model_->rack_index(core::RackId{rack});
    if (index == core::kNoIndex) continue;
    publish("racks", rack_view(index));
    published = true;
  }
  dirty_racks_.clear();
  if (published) published_.notify_one();
  for (auto& client : ended) {
    if (client->connection) client->connection->close("session ended");
    client->closed = true;
  }
  clients_.erase(
      std::remove_if(clients_.begin(), clients_.end(), [](const auto& c) { return c->closed.load(); }),
      clients_.end());
  http::StreamConnection::Message fresh;  // one snapshot for every client resynchronized in this tick
  for (auto& client : clients_) {
    if (!client->connection) continue;
    std::lock_guard client_lock{client->mutex};
    if (client->needs_resync) {
      if (client->connection->queued() < limits_.resync_below_queued) {
        if (!fresh) fresh = std::make_shared<const std::string>(snapshot());
        if (client->send(fresh)) {
          client->cursor = seq_;
          client->needs_resync = false;
        }
      }
    } else if (now - client->last_sent >= limits_.heartbeat_every) {
      // The seq the client has been given: deltas still on their way to it are not announced early.
      client->send(std::make_shared<const std::string>(json::heartbeat_message(client->cursor)));
    }
  }
}

}  // namespace portcullis::services
