#pragma once
// The one place where a live stream feeds the console: the stream's health goes to the banner, a snapshot
// replaces the state, deltas are queued for the next coalesced batch. The console app and the end-to-end
// test against the real server both wire the stream through this, so the test sees what a guard sees.
namespace portcullis::console {

class ConsoleState;
class MainWindow;
class StreamClient;

void followStream(StreamClient& stream, ConsoleState& state, MainWindow& window);

}  // namespace portcullis::console
