#pragma once
// After a restore to an earlier point (docs/operations.md, "Backup and restore (pgBackRest)"): portcullisd
// compares the history with its signed checkpoints before it serves. When they prove rows lost it does not
// serve (every route answers 503, /health/ready with reason history_behind_checkpoint) until an admin runs
// `portcullisd acknowledge-restore --by NAME` with the server stopped, which records the loss in the history
// (a history.restore_acknowledged record) and sets the lost checkpoints aside.
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "portcullis/audit/restore_guard.hpp"

namespace portcullis::app {

// The checkpoints configured: the server's own (checkpoint_dir, its key's public half once made) and the
// auditors' (audit_checkpoints with audit_pubkey).
std::vector<audit::CheckpointSource> checkpoint_sources(const Config& c);

// The loss the configured checkpoints prove, if any.
std::optional<audit::LostHistory> lost_history(const Config& c);

// Answers every route 503 until a stop signal (blocked in the caller, waited for here); returns 0.
int serve_held(const Config& c, const audit::LostHistory& lost, const sigset_t& stop_signals);

// portcullisd acknowledge-restore --by NAME
int acknowledge_restore_command(const Config& c, const std::vector<std::string>& args);

}  // namespace portcullis::app
