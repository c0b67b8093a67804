// Failover, both sides. A follower on stand-by takes the site's lock once its owner's session has ended and
// becomes the owner in-process; an owner notices by itself that its session (and with it the lock) is gone
// and writes nothing until it holds the lock again. Why two writers are impossible: docs/event-store.md,
// "Several instances".
#include <algorithm>

#include "families/write_context.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/storage/sequencer_store.hpp"

namespace portcullis::ingest {

const char* Sequencer::takeover_state() const noexcept {
  if (config_.take_over) return "standby";
  return config_.takeover_refused.empty() ? "off" : "not_configured";
}

void Sequencer::allow_takeover(std::function<void()> on_taking_over) {
  std::lock_guard lock{mutex_};
  on_taking_over_ = std::move(on_taking_over);
  takeover_allowed_ = true;
}

// On the follower's thread, between two reads of the owner's tail.
bool Sequencer::try_take_over() {
  if (!config_.take_over) return false;
  {
    std::lock_guard lock{mutex_};
    if (!takeover_allowed_ || stopping_) return false;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_takeover_attempt_ < config_.takeover_check) return false;
  last_takeover_attempt_ = now;
  // On the connection this follower reads with: the lock and every later write share one session.
  if (!store_->try_take_ownership()) return false;
  become_owner();
  return true;
}

void Sequencer::become_owner() {
  role_.store(Role::TakingOver);
  // PostgreSQL lets a session's lock go only once the session has ended, its last transaction committed or
  // rolled back: every row the previous owner will ever write is visible now. The tail is applied the way
  // everything before it was followed, record by record through the same replay a restart runs, so the
  // state is the one the owner had; nothing is applied twice (it starts after the head already applied).
  const auto model_before = context_->engine->shared_model();
  bool chain_reported = false;
  store_->for_each(head_seq_,
                   [&](const ledger::EventRecord& record) { apply_stored(record, true, chain_reported); });
  if (context_->engine->shared_model() != model_before) publish_site();
  sealed_seq_.store(std::max(sealed_seq_.load(), head_seq_));
  publish_heads();
  tampered_.store(context_->alarms.has_open(kChainTamperedAlarm));
  report_replay_findings();  // what following found, recorded now that this instance writes (queued first)
  std::function<void()> on_taking_over;
  {
    std::lock_guard lock{mutex_};
    on_taking_over = on_taking_over_;
  }
  if (on_taking_over) on_taking_over();
  store_reachable_.store(true);
  role_.store(Role::Owning);
  logging::warn("ingest", "took over the site: its previous owner's session ended; accepting device events",
                {{"site_id", config_.site_id}, {"site_seq", head_seq_}});
}

bool Sequencer::check_ownership() {
  if (role_.load() != Role::Owning) return true;
  try {
    store_->check_connection();
  } catch (const std::exception& lost) {
    regain_ownership(lost);
  }
  return store_reachable_.load();
}

// The session holding the lock is gone, so another instance may own the site by now: nothing is written
// until a new connection holds the lock again (the store refuses to append on one that does not), and the
// state is rebuilt from what the database holds. Meanwhile queued work is answered 503, so devices go to
// the instance that is ready.
void Sequencer::regain_ownership(const std::exception& lost) {
  store_reachable_.store(false);
  logging::error("ingest",
                 "the connection holding the site failed; writing nothing until this instance holds it again",
                 {{"site_id", config_.site_id}, {"error", lost.what()}});
  for (int attempt = 0;; ++attempt) {
    refuse_queued();
    try {
      connect_and_rebuild();
      return;
    } catch (const std::exception& again) {
      logging::error("ingest", "taking the site back failed",
                     {{"site_id", config_.site_id}, {"error", again.what()}});
    }
    {
      std::lock_guard lock{mutex_};
      if (stopping_) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100 * (attempt + 1), 2000)));
  }
  refuse_queued();  // stopping: nothing is queued after stopping_, so the run loop finds the queue empty
}

void Sequencer::refuse_queued() {
  std::deque<Work> waiting;
  {
    std::lock_guard lock{mutex_};
    waiting.swap(queue_);
    metrics_.queue_depth.set(0);
  }
  refuse_unstored(waiting);
}

}  // namespace portcullis::ingest
