#pragma once
// Operators for end-to-end tests: created with the real CLI, signed in with a real TOTP code.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "portcullis/client/https_client.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/operators/crypto/encoding.hpp"
#include "portcullis/operators/crypto/hmac.hpp"
#include "portcullis/operators/totp.hpp"
#include "server_process.hpp"

namespace portcullis::testing {

// The password printed by add-operator (or answered by a create or reset over the API) is a one-time
// password: it only sets the operator's own password (POST /api/v1/auth/password). sign_in() does that the
// first time, with own_password(); copies of a TestOperator share whether it was done.
struct TestOperator {
  std::string id, password, totp_secret;
  std::shared_ptr<bool> own_password_set = std::make_shared<bool>(false);
  [[nodiscard]] std::string own_password() const { return password + "-own"; }
  [[nodiscard]] std::string current_password() const { return *own_password_set ? own_password() : password; }
};

inline std::string value_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key + ": ");
  if (at == std::string::npos) return {};
  const auto start = at + key.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

// `person`: the person of the site this operator is (two-person checks, self-approval); without one the
// account is a service account, which never approves or overrides.
inline TestOperator create_operator(ServerProcess& server, const std::string& id, const std::string& role,
                                    const std::string& person = {}) {
  std::string out;
  if (server.run_tool(
          "add-operator " + id + " " + role + (person.empty() ? " --service" : " --person " + person), out) !=
      0)
    throw std::runtime_error("add-operator: " + out);
  return {id, value_after(out, "password"), value_after(out, "totp_secret")};
}

// An operator created or reset over the API: the answer carries its one-time password (and, when created or
// re-enrolled, its TOTP secret).
inline TestOperator operator_from_reply(const std::string& id, const std::string& reply_body,
                                        const std::string& totp_secret = {}) {
  const auto reply = nlohmann::json::parse(reply_body);
  return {id, reply.value("password", std::string{}),
          totp_secret.empty() ? reply.value("totp_secret", std::string{}) : totp_secret};
}

inline std::string current_code(const TestOperator& op) {
  const auto secret = operators::crypto::base32_decode(op.totp_secret).value();
  return operators::totp_code(operators::crypto::totp_hmac(), secret, core::SystemClock{}.now());
}

inline std::string login_body(const TestOperator& op, const std::string& code) {
  return nlohmann::json{{"username", op.id}, {"password", op.current_password()}, {"totp", code}}.dump();
}

// POST /api/v1/auth/password: the current password and a code, as for signing in, and the new password.
inline std::string password_change_body(const TestOperator& op, const std::string& code,
                                        const std::string& new_password) {
  return nlohmann::json{{"username", op.id},
                        {"password", op.current_password()},
                        {"totp", code},
                        {"new_password", new_password}}
      .dump();
}

// A code is accepted once: waits until the authenticator shows the next one (at most 30 s).
inline void wait_for_next_code(const TestOperator& op) {
  const auto first = current_code(op);
  while (current_code(op) == first) std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

// A badge of facility 42 at a lobby reader, sent as ctl-lobby with the current time (decisions use device
// time: an older event is late and never grants).
inline std::string lobby_badge(int seq, const std::string& reader, int number) {
  return R"({"device_id":"ctl-lobby","seq":)" + std::to_string(seq) + R"(,"time":")" + device_time_now() +
         R"(","type":"credential","reader":")" + reader + R"(","card":{"facility":42,"number":)" +
         std::to_string(number) + "}}";
}

// Devices enrolled while the server runs are picked up within 2 s: waits until `device_token` is known.
inline void wait_until_enrolled(client::HttpsClient& client, const std::string& device_token) {
  for (int i = 0; i < 50 && client.get("/api/v1/devices/me/commands", device_token).status == 401; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Signs in and returns the session token (fails the test otherwise). The first time, the one-time password
// is replaced by the operator's own (which also signs in: a code is accepted only once).
inline std::string sign_in(client::HttpsClient& client, const TestOperator& op) {
  if (!*op.own_password_set) {
    const auto changed = client.post_json("/api/v1/auth/password",
                                          password_change_body(op, current_code(op), op.own_password()));
    EXPECT_EQ(changed.status, 200) << changed.body;
    if (changed.status != 200) return {};
    *op.own_password_set = true;
    return nlohmann::json::parse(changed.body).at("token").get<std::string>();
  }
  const auto r = client.post_json("/api/v1/auth/login", login_body(op, current_code(op)));
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  return nlohmann::json::parse(r.body).at("token").get<std::string>();
}

}  // namespace portcullis::testing
