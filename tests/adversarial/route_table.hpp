#pragma once
// Every route the server serves, with a body shaped like a real request: the adversarial tier mutates each
// field of it. route_coverage_test compares this table with the authorization matrix (the list of routes
// the router serves: SecuredRouter refuses to register a route outside it), so a new route fails the
// build's tests until it is covered here.
#include <string_view>

namespace portcullis::adversarial {

struct RouteCase {
  std::string_view method;
  std::string_view pattern;
  std::string_view body;  // empty: the route takes no body
};

inline constexpr RouteCase kRouteCases[] = {
    {"POST", "/api/v1/events",
     R"({"device_id":"ctl-adversary","seq":1,"time":"2026-11-27T10:00:00.000Z","type":"heartbeat"})"},
    {"POST", "/api/v1/rfid/reads",
     R"({"device_id":"ctl-adversary","reads":[{"reader":"rfid-1","epc":"urn:epc:id:giai:0614141.1","count":1}]})"},
    {"POST", "/epcis/capture",
     R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-27T10:00:00Z","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-11-27T10:00:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","epcList":["urn:epc:id:giai:0614141.1"],"readPoint":{"id":"rfid-1"}}]}})"},
    {"POST", "/epcis/events",
     R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"ObjectEvent","eventTime":"2026-11-27T10:00:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","epcList":["urn:epc:id:giai:0614141.1"],"readPoint":{"id":"rfid-1"}})"},
    {"GET", "/api/v1/devices/me/commands", ""},
    {"POST", "/api/v1/devices/me/commands/{id}/result", R"({"status":"done","detail":"ok"})"},
    {"GET", "/api/v1/health", ""},
    {"POST", "/api/v1/auth/login", R"({"username":"nobody","password":"wrong-password","totp":"000000"})"},
    {"GET", "/health/live", ""},
    {"GET", "/health/ready", ""},
    {"POST", "/api/v1/auth/password",
     R"({"username":"nobody","password":"wrong-password","totp":"000000","new_password":"a-new-password-1"})"},
    {"GET", "/metrics", ""},
    {"GET", "/api/v1/stream", ""},
    {"GET", "/api/v1/site", ""},
    {"PUT", "/api/v1/site", R"({"site_id":"ams-dc1","name":"x","version":"x"})"},
    {"GET", "/api/v1/people", ""},
    {"POST", "/api/v1/people", R"({"id":"p-adv","name":"Adversary","role":"visitor"})"},
    {"PUT", "/api/v1/people/{id}", R"({"id":"p-adv","name":"Adversary","role":"visitor"})"},
    {"DELETE", "/api/v1/people/{id}", ""},
    {"POST", "/api/v1/people/{id}/revoke", R"({"reason":"test"})"},
    {"POST", "/api/v1/credentials/{id}/revoke", R"({"reason":"test"})"},
    {"POST", "/api/v1/grants", R"({"id":"g-adv","subject":{"person":"p-adv"},"zones":["z-lobby"]})"},
    {"POST", "/api/v1/grants/{id}/revoke", R"({"reason":"test"})"},
    {"POST", "/api/v1/people/{id}/restore", R"({"reason":"test"})"},
    {"POST", "/api/v1/people/{id}/credentials", R"({"type":"card","id":"c-adv","facility":1,"number":2})"},
    {"DELETE", "/api/v1/people/{id}/credentials/{credential}", ""},
    {"PUT", "/api/v1/people/{id}/pin", R"({"pin":"1234","duress":false})"},
    {"DELETE", "/api/v1/people/{id}/pin", ""},
    {"POST", "/api/v1/credentials/{id}/restore", R"({"reason":"test"})"},
    {"DELETE", "/api/v1/grants/{id}", ""},
    {"POST", "/api/v1/grants/{id}/restore", R"({"reason":"test"})"},
    {"POST", "/api/v1/groups/{id}/members", R"({"person":"p-adv"})"},
    {"DELETE", "/api/v1/groups/{id}/members/{person}", ""},
    {"POST", "/api/v1/jit-requests",
     R"({"person":"p-adv","zone":"z-lobby","duration_s":600,"reason":"test"})"},
    {"POST", "/api/v1/jit-requests/{id}/approve", R"({"comment":"ok"})"},
    {"GET", "/api/v1/alarms", ""},
    {"POST", "/api/v1/alarms/{id}/acknowledge", R"({"comment":"seen"})"},
    {"POST", "/api/v1/alarms/{id}/resolve", R"({"comment":"done"})"},
    {"POST", "/api/v1/commands", R"({"target":"door-x","command":"unlock","reason":"test"})"},
    {"PUT", "/api/v1/commands/{id}", R"({"target":"door-x","command":"unlock","reason":"test"})"},
    {"POST", "/api/v1/approvals/{id}/approve", ""},
    {"POST", "/api/v1/presence/{person}/forgive", R"({"reason":"test","zone":"z-lobby"})"},
    {"POST", "/api/v1/lockdown", R"({"reason":"test","zone":"z-nowhere"})"},
    {"POST", "/api/v1/lockdown/release", R"({"reason":"test","zone":"z-nowhere"})"},
    {"POST", "/api/v1/threat-level", R"({"level":0,"zone":"z-nowhere","reason":"test"})"},
    {"POST", "/api/v1/overrides", R"({"person":"p-adv","portal":"door-x","reason":"test"})"},
    {"POST", "/api/v1/fire/clear", R"({"zone":"z-nowhere","reason":"test"})"},
    {"POST", "/api/v1/fire/clear/{id}/confirm", R"({"zone":"z-nowhere","reason":"test"})"},
    {"GET", "/api/v1/assets", ""},
    {"GET", "/api/v1/assets/{id}", ""},
    {"POST", "/api/v1/assets",
     R"({"id":"a-adv","tag":"T1","kind":"server","epc":"urn:epc:id:giai:0614141.99","home_rack":"r-none"})"},
    {"PUT", "/api/v1/assets/{id}",
     R"({"id":"a-adv","tag":"T1","kind":"server","epc":"urn:epc:id:giai:0614141.99"})"},
    {"POST", "/api/v1/assets/{id}/lifecycle", R"({"state":"retired","reason":"test"})"},
    {"POST", "/api/v1/assets/{id}/wipe", R"({"method":"nist-800-88-purge","certificate_sha256":"00"})"},
    {"POST", "/api/v1/assets/{id}/destruction", R"({"method":"shred","witnesses":["p-a","p-b"]})"},
    {"POST", "/api/v1/assets/{id}/disposal", R"({"vendor":"v","manifest":"m"})"},
    {"POST", "/api/v1/move-orders",
     R"({"order":"m-adv","asset":"a-none","to_zone":"z-none","valid_for_s":600,"reason":"test"})"},
    {"POST", "/api/v1/move-orders/{id}/approve", R"({"comment":"ok"})"},
    {"POST", "/api/v1/seals", R"({"id":"s-adv","serial":"S1","rack":"r-none","witness":"p-none"})"},
    {"POST", "/api/v1/seals/{id}/check", R"({"status":"intact","comment":"ok"})"},
    {"GET", "/api/v1/reports/{report}", ""},
    {"GET", "/api/v1/audit/reports", ""},
    {"GET", "/api/v1/audit/reports/{report}", ""},
    {"POST", "/api/v1/audit/exports/{report}", ""},
    {"GET", "/api/v1/audit/exports/{name}", ""},
    {"GET", "/api/v1/audit/chain", ""},
    {"POST", "/api/v1/operators", R"({"id":"op-adv","role":"guard","name":"x","service":true})"},
    {"POST", "/api/v1/operators/{id}/disable", ""},
    {"POST", "/api/v1/operators/{id}/enable", ""},
    {"POST", "/api/v1/operators/{id}/password-reset", ""},
    {"POST", "/api/v1/operators/{id}/totp-reset", ""},
    {"POST", "/api/v1/operators/{id}/unlock", ""},
    // Last: a signed-in actor's logout ends its own session.
    {"POST", "/api/v1/auth/logout", ""},
};

}  // namespace portcullis::adversarial
