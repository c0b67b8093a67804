// Reading the file and building the model; the check-site report.
#include <fstream>
#include <sstream>

#include "portcullis/core/policy/device_scope.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

bool read_file(const std::filesystem::path& path, const Limits& limits, std::string& out,
               core::Problems& problems) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    problems.push_back({"$", "cannot read " + path.string() + ": " + ec.message()});
    return false;
  }
  if (size > limits.max_file_bytes) {
    problems.push_back({"$", "site file larger than " + std::to_string(limits.max_file_bytes) + " bytes"});
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({"$", "cannot open " + path.string()});
    return false;
  }
  out.resize(size);
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) {
    problems.push_back({"$", "short read of " + path.string()});
    return false;
  }
  return true;
}

}  // namespace

LoadResult load_site_text(std::string_view text, const Limits& limits) {
  ParseResult parsed = parse_site_json(text, limits);
  LoadResult result;
  if (!parsed.problems.empty()) {
    result.problems = std::move(parsed.problems);
    return result;
  }
  core::BuildResult built = core::SiteModel::build(parsed.definition);
  result.model = std::move(built.model);
  result.problems = std::move(built.problems);
  return result;
}

LoadResult load_site_file(const std::filesystem::path& path, const Limits& limits) {
  std::string text;
  LoadResult result;
  if (!read_file(path, limits, text, result.problems)) return result;
  return load_site_text(text, limits);
}

SiteCheckReport check_site_file(const std::filesystem::path& path, const Limits& limits) {
  SiteCheckReport report;
  std::string text;
  std::ostringstream out;
  if (read_file(path, limits, text, report.problems)) {
    ParseResult parsed = parse_site_json(text, limits);
    report.problems = std::move(parsed.problems);
    // A valid file whose devices leave a reader, door, vestibule or zone without anyone to speak for it:
    // those events would always be refused, so the check says what to add.
    if (report.problems.empty()) report.problems = core::device_scope_gaps(parsed.definition);
    report.site_id = parsed.definition.site_id;
    report.version = parsed.definition.version;
    const auto& d = parsed.definition;
    for (const auto& p : report.problems)
      out << path.string() << ": " << p.json_path << ": " << p.message << "\n";
    if (report.problems.empty()) {
      out << path.string() << ": OK: site \"" << d.site_id << "\" version \"" << d.version
          << "\": " << d.zones.size() << " zones, " << d.portals.size() << " portals, " << d.racks.size()
          << " racks, " << d.people.size() << " people, " << d.groups.size() << " groups, "
          << d.schedules.size() << " schedules, " << d.grants.size() << " grants, " << d.devices.size()
          << " devices\n";
    }
  } else {
    for (const auto& p : report.problems)
      out << path.string() << ": " << p.json_path << ": " << p.message << "\n";
  }
  report.ok = report.problems.empty();
  if (!report.ok) out << path.string() << ": REJECTED: " << report.problems.size() << " problem(s)\n";
  report.summary = out.str();
  return report;
}

}  // namespace portcullis::site_file
