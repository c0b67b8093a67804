// The router is the edge every request crosses: targets that are not valid UTF-8, parameters outside the
// identifier grammar and handlers that throw are all answered there, and never reach a handler or a record.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

#include "portcullis/http/request_checks.hpp"
#include "portcullis/http/router.hpp"

namespace portcullis::http {
namespace {

struct Dispatched {
  std::optional<HttpResponse> response;
  int handler_calls = 0;
};

Dispatched dispatch(Router& router, const std::string& method, const std::string& path,
                    const std::string& query = {}) {
  Dispatched out;
  HttpRequest request;
  request.method = method;
  request.path = path;
  request.query = query;
  router.dispatch(request, [&out](HttpResponse r) { out.response = std::move(r); });
  return out;
}

Router router_counting(int& calls) {
  Router router;
  router.add("POST", "/api/v1/people/{id}/revoke",
             [&calls](const HttpRequest&, const RouteParams&, Responder respond) {
               ++calls;
               respond(json_response("{}"));
             });
  return router;
}

TEST(RouterEdge, InvalidUtf8InThePathIsRefused400BeforeAnyHandler) {
  int calls = 0;
  auto router = router_counting(calls);
  const auto r = dispatch(router, "POST", "/api/v1/people/\xFF/revoke");
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->status, 400);
  EXPECT_NE(r.response->body.find("\"field\":\"path\""), std::string::npos) << r.response->body;
  EXPECT_EQ(calls, 0);
  // An unknown path with a bad byte is refused the same way (no 404 echoing the raw byte).
  const auto unknown = dispatch(router, "GET", "/nowhere/\xC3\x28");
  EXPECT_EQ(unknown.response->status, 400);
}

TEST(RouterEdge, InvalidUtf8OrControlCharacterInTheQueryIsRefused) {
  int calls = 0;
  auto router = router_counting(calls);
  EXPECT_EQ(dispatch(router, "POST", "/api/v1/people/p1/revoke", "person=\xFF").response->status, 400);
  EXPECT_EQ(dispatch(router, "POST", "/api/v1/people/p1/revoke", "a=%4").response->status, 400);
  EXPECT_EQ(dispatch(router, "POST", "/api/v1/people/p1/revoke", std::string("a=\0b", 4)).response->status,
            400);
  EXPECT_EQ(calls, 0);
}

TEST(RouterEdge, PathParameterOutsideTheIdentifierGrammarIsRefusedNamingIt) {
  int calls = 0;
  auto router = router_counting(calls);
  const auto r = dispatch(router, "POST", "/api/v1/people/=1+2-X/revoke");
  EXPECT_EQ(r.response->status, 400);
  EXPECT_NE(r.response->body.find("path.id"), std::string::npos) << r.response->body;
  EXPECT_EQ(dispatch(router, "POST", "/api/v1/people/" + std::string(65, 'a') + "/revoke").response->status,
            400);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(dispatch(router, "POST", "/api/v1/people/p-1.a_b:c/revoke").response->status, 200);
  EXPECT_EQ(calls, 1);
}

TEST(RouterEdge, HandlerExceptionIsAnswered500AndDoesNotEscape) {
  Router router;
  router.add("GET", "/boom", [](const HttpRequest&, const RouteParams&, Responder) {
    throw std::out_of_range("number overflow");
  });
  std::optional<HttpResponse> response;
  HttpRequest request;
  request.method = "GET";
  request.path = "/boom";
  EXPECT_NO_THROW(router.dispatch(request, [&](HttpResponse r) { response = std::move(r); }));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST(RouterEdge, HandlerThatAnsweredThenThrewIsAnsweredOnce) {
  Router router;
  router.add("GET", "/late", [](const HttpRequest&, const RouteParams&, Responder respond) {
    respond(json_response("{}"));
    throw std::runtime_error("after the answer");
  });
  int answers = 0;
  HttpRequest request;
  request.method = "GET";
  request.path = "/late";
  router.dispatch(request, [&](HttpResponse) { ++answers; });
  EXPECT_EQ(answers, 1);
}

TEST(RouterEdge, JsonEscapeOfInvalidUtf8IsValidUtf8) {
  const auto escaped = json_escape(
      "a\xFF"
      "b\xC3");
  EXPECT_EQ(escaped, "a\\ufffdb\\ufffd");
  EXPECT_EQ(json_escape("caf\xC3\xA9 \"x\"\n"), "caf\xC3\xA9 \\\"x\\\"\\n");  // valid text unchanged
}

HttpRequest with_content_type(const std::string& type) {
  HttpRequest request;
  request.headers["content-type"] = type;
  return request;
}

TEST(MediaType, ExactTypeCaseInsensitiveParametersAllowed) {
  EXPECT_TRUE(has_media_type(with_content_type("application/json"), "application/json"));
  EXPECT_TRUE(has_media_type(with_content_type("Application/JSON"), "application/json"));
  EXPECT_TRUE(has_media_type(with_content_type("application/json; charset=utf-8"), "application/json"));
  EXPECT_FALSE(has_media_type(with_content_type("application/jsonp"), "application/json"));
  EXPECT_FALSE(has_media_type(with_content_type("application/json-seq"), "application/json"));
  EXPECT_FALSE(has_media_type(HttpRequest{}, "application/json"));
}

TEST(PercentDecode, RefusesMalformedEscapesAndUndecodableText) {
  EXPECT_EQ(percent_decode_text("a%20b+c", true), "a b c");
  EXPECT_FALSE(percent_decode_text("%FF", true));
  EXPECT_FALSE(percent_decode_text("%00", true));
  EXPECT_FALSE(percent_decode_text("%G1", true));
  EXPECT_FALSE(percent_decode_text("%4", true));
}

}  // namespace
}  // namespace portcullis::http
