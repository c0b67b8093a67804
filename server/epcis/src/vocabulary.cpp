// CBV 2.0 business steps and dispositions in their three accepted spellings.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "detail.hpp"
#include "portcullis/epcis/capture.hpp"

namespace portcullis::epcis {
namespace {

// CBV 2.0 section 7.2 (BizStep) and 7.3 (Disp), bare names, sorted for binary search.
constexpr std::array<std::string_view, 41> kBizSteps = {"accepting",
                                                        "arriving",
                                                        "assembling",
                                                        "collecting",
                                                        "commissioning",
                                                        "consigning",
                                                        "creating_class_instance",
                                                        "cycle_counting",
                                                        "decommissioning",
                                                        "departing",
                                                        "destroying",
                                                        "disassembling",
                                                        "dispensing",
                                                        "encoding",
                                                        "entering_exiting",
                                                        "holding",
                                                        "inspecting",
                                                        "installing",
                                                        "killing",
                                                        "loading",
                                                        "other",
                                                        "packing",
                                                        "picking",
                                                        "receiving",
                                                        "removing",
                                                        "repackaging",
                                                        "repairing",
                                                        "replacing",
                                                        "reserving",
                                                        "retail_selling",
                                                        "sampling",
                                                        "sensor_reporting",
                                                        "shipping",
                                                        "staging_outbound",
                                                        "stock_taking",
                                                        "stocking",
                                                        "storing",
                                                        "transporting",
                                                        "unloading",
                                                        "unpacking",
                                                        "void_shipping"};

constexpr std::array<std::string_view, 33> kDispositions = {"active",
                                                            "available",
                                                            "completeness_inferred",
                                                            "completeness_verified",
                                                            "conformant",
                                                            "container_closed",
                                                            "container_open",
                                                            "damaged",
                                                            "destroyed",
                                                            "dispensed",
                                                            "disposed",
                                                            "encoded",
                                                            "expired",
                                                            "in_progress",
                                                            "in_transit",
                                                            "inactive",
                                                            "mismatch_class",
                                                            "mismatch_instance",
                                                            "mismatch_quantity",
                                                            "needs_replacement",
                                                            "no_pedigree_match",
                                                            "non_conformant",
                                                            "non_sellable_other",
                                                            "partially_dispensed",
                                                            "recalled",
                                                            "reserved",
                                                            "retail_sold",
                                                            "returned",
                                                            "sellable_accessible",
                                                            "sellable_not_accessible",
                                                            "stolen",
                                                            "unavailable",
                                                            "unknown"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& sorted, std::string_view value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

template <std::size_t N>
std::optional<std::string> normalise(const std::array<std::string_view, N>& names, std::string_view value,
                                     std::string_view urn_prefix, std::string_view web_prefix) {
  std::string_view bare = value;
  if (value.starts_with(urn_prefix)) {
    bare = value.substr(urn_prefix.size());
  } else if (value.starts_with(web_prefix)) {
    bare = value.substr(web_prefix.size());
  }
  if (!contains(names, bare)) return std::nullopt;
  return std::string(bare);
}

}  // namespace

std::optional<std::string> cbv_biz_step(std::string_view value) {
  return normalise(kBizSteps, value, "urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-");
}

std::optional<std::string> cbv_disposition(std::string_view value) {
  return normalise(kDispositions, value, "urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-");
}

namespace detail {

// True when the value claims to be in the CBV namespace (so an unknown name there is an error, not a
// custom value).
bool in_cbv_namespace(std::string_view value) {
  return value.starts_with("urn:epcglobal:cbv:") || value.starts_with("https://ref.gs1.org/cbv/");
}

bool vocabulary_tables_sorted() {
  return std::is_sorted(kBizSteps.begin(), kBizSteps.end()) &&
         std::is_sorted(kDispositions.begin(), kDispositions.end());
}

}  // namespace detail

}  // namespace portcullis::epcis
