#pragma once
// The live stream (wss://.../api/v1/stream): a snapshot on connect, then ordered deltas with sequence
// numbers. A reconnecting client asks for `?resume_from=SEQ` and gets what it missed from a bounded
// replay window, or a fresh snapshot when it is too far behind. Each client's queue is capped; a client
// past the cap is resynchronized with a snapshot once it has drained, so a slow console never makes
// the server's memory grow. Sessions are re-checked every second: a disabled operator's stream ends.
//
// Fan-out: the sequencer's on_update only updates the view, serializes each delta once (a buffer shared
// by every client) and appends it to the ring; a fan-out thread hands the new deltas to each client's
// queue (one hand-over per client per pass), where the transport coalesces them into batch frames.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/live/facility_view.hpp"
#include "portcullis/http/websocket_endpoint.hpp"
#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/services/operator_accounts.hpp"

namespace portcullis::json {
class RackContents;
}

namespace portcullis::services {

struct StreamLimits {
  std::size_t replay_window = 10'000;     // deltas kept for resuming clients
  std::size_t resync_below_queued = 256;  // a resync snapshot is sent once the client's queue is this short
  std::chrono::seconds heartbeat_every{5};
  // The fan-out thread passes at most this often: a lone delta after a quiet spell goes out at once;
  // under load, each pass hands over everything committed since the last one.
  std::chrono::milliseconds fanout_linger{5};
};

class StreamHub : public http::WebSocketEndpoint, public ingest::LiveObserver {
 public:
  StreamHub(std::shared_ptr<const core::SiteModel> model, OperatorAccounts& accounts,
            std::vector<std::string> allowed_origins, StreamLimits limits = {});
  ~StreamHub() override;

  void start();
  void stop();

  std::variant<std::shared_ptr<http::StreamClient>, http::HttpResponse> accept(
      const http::HttpRequest& upgrade) override;
  void on_update(const ingest::LiveUpdate& update, bool live) override;
  void on_reset() override;

  [[nodiscard]] std::size_t clients() const;
  // Open alarms, most severe first, as a JSON array.
  [[nodiscard]] std::string open_alarms_json() const;
  [[nodiscard]] std::int64_t seq() const;

  class Client;

 private:
  struct Entry {
    std::int64_t seq = 0;
    std::uint32_t topic = 0;  // topic bit
    http::StreamConnection::Message message;
  };

  void publish(const std::string& topic, const std::string& data_json);  // with mutex_ held
  std::string snapshot();                                                // with mutex_ held
  void open(const std::shared_ptr<Client>& client);
  void subscribe(Client& client, const std::string& text);
  void tick();
  void fan_out();

  std::shared_ptr<const core::SiteModel> model_;
  OperatorAccounts& accounts_;
  std::vector<std::string> allowed_origins_;
  StreamLimits limits_;

  mutable std::mutex mutex_;
  core::FacilityView view_;
  std::map<std::string, core::AlarmRecord> open_alarms_;
  // Assets and seals as the sequencer last reported them, for the map's racks.
  // Hashed, not ordered: looked up once per moved asset (tens of thousands a second); the snapshot sorts.
  std::unordered_map<std::string, core::AssetState> assets_;
  std::map<std::string, core::SealState> seals_;
  // Per rack: the assets located in it and the assets expected in it (home rack, in service).
  std::unique_ptr<json::RackContents> rack_contents_;
  // Racks whose view changed since the last tick: published at most once per tick (a burst of RFID moves
  // into one rack is one rack delta, not one per asset).
  std::set<std::string> dirty_racks_;
  [[nodiscard]] std::string rack_view(std::size_t rack) const;  // with mutex_ held
  std::int64_t seq_ = 0;
  std::deque<Entry> ring_;  // the last replay_window deltas, by seq
  std::vector<std::shared_ptr<Client>> clients_;
  std::condition_variable published_;  // seq_ moved (or stopping): wakes the fan-out thread

  std::atomic<bool> running_{false};
  std::thread timer_;
  std::thread fan_out_thread_;
};

}  // namespace portcullis::services
