#pragma once
// A tiny text format for OSDP reply streams, so that tests, demos and bench setups can produce the bytes a
// reader bus would carry without hardware (`portcullis-gateway encode < script > bytes`). One frame per line;
// a line starting with '#' is a comment ('#' is also the keypad's enter key); the optional last word picks
// the channel: `scs16` (default: Secure Channel, MAC, data in clear), `scs18` (encrypted, unreadable to the
// gateway) or `clear` (no Secure Channel).
//
//   card ADDR FORMAT FACILITY NUMBER [reader=R]   osdp_RAW with Wiegand bits (FORMAT H10301, C1000, H10304)
//   bits ADDR 0101...             [reader=R]      osdp_RAW with the given bits as they are (bad parity...)
//   keys ADDR KEYS                [reader=R]      osdp_KEYPAD; KEYS of 0-9 * # A-H
//   status ADDR normal|tamper|power|tamper+power  osdp_LSTATR
//   bio ADDR SCORE [status=S]     [reader=R]      osdp_BIOMATCHR (status 0 success, 1 timeout)
//   ack ADDR                                      osdp_ACK
//   handshake ADDR scs11|scs12|scs13 default|scbk  key selector (SCBK-D or the PD's own key)
//   handshake ADDR scs14 accepted|rejected
//
// The sequence number cycles 1, 2, 3, 1... per address; every frame uses CRC-16 and, with a Secure Channel
// block carrying a MAC, a fixed dummy MAC (the gateway does not verify MACs: it has no session keys).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::gateway {

// Throws std::invalid_argument naming the line number and what is wrong.
[[nodiscard]] std::vector<std::uint8_t> encode_osdp_script(std::string_view script);

}  // namespace portcullis::gateway
