#pragma once

namespace portcullis::core {

// One visitor out of several lambdas, for std::visit over the core's variants (events, actions, edits).
// The deduction guide is spelled out although C++20 deduces aggregates by itself: clang 14, which
// clang-tidy uses, does not yet, and a file it cannot parse is a file it cannot check.
template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

}  // namespace portcullis::core
