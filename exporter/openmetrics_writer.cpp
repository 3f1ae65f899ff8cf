#include "exporter/openmetrics_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace xee::exporter {
namespace {

using wire::EngagementType;

struct FamilyText {
  std::string_view name;
  std::string_view file_suffix;
  std::string_view help;
};

// Indexed by HourlyFamily.
constexpr std::array<FamilyText, 3> kFamilyTexts{{
    {"x_engagement_post_last_hour_impressions", "impressions",
     "Impressions of the Post during the last complete hour on X's clock."},
    {"x_engagement_post_last_hour_engagements", "engagements",
     "Engagements of the Post during the last complete hour on X's clock."},
    {"x_engagement_post_last_hour_interactions", "interactions",
     "Interactions of one engagement type with the Post during the last complete hour on X's "
     "clock (the 15 types besides impressions and engagements)."},
}};

const FamilyText& text_of(HourlyFamily family) {
  return kFamilyTexts[static_cast<std::size_t>(family)];
}

Result<void> replace_file(const std::string& temporary, const std::string& path) {
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail("cannot rename " + temporary + " to " + path + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace

std::string_view family_name(HourlyFamily family) {
  return text_of(family).name;
}

HourlyFamily family_of(EngagementType type) {
  if (type == EngagementType::impressions) return HourlyFamily::impressions;
  if (type == EngagementType::engagements) return HourlyFamily::engagements;
  return HourlyFamily::interactions;
}

std::string sample_line(const collectors::HourlyCount& count) {
  const HourlyFamily family = family_of(count.type);
  std::string line(family_name(family));
  line += "{post_id=\"" + wire::format_post_id(count.post_id) + "\"";
  if (family == HourlyFamily::interactions) {
    line += ",engagement_type=\"" + std::string(wire::to_string(count.type)) + "\"";
  }
  const auto end_of_hour = count.hour + std::chrono::hours{1};
  line += "} " + std::to_string(count.value) + " " +
          std::to_string(end_of_hour.time_since_epoch().count()) + "\n";
  return line;
}

std::string family_file(const std::string& unit_prefix, HourlyFamily family) {
  return unit_prefix + "." + std::string(text_of(family).file_suffix);
}

Result<void> write_unit_samples(const std::string& unit_prefix,
                                const std::vector<collectors::HourlyCount>& counts) {
  for (const HourlyFamily family : kHourlyFamilies) {
    const std::string path = family_file(unit_prefix, family);
    const std::string temporary = path + ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out) return fail("cannot write " + temporary + ": " + std::strerror(errno));
      for (const collectors::HourlyCount& count : counts) {
        if (family_of(count.type) == family) out << sample_line(count);
      }
      out.flush();
      if (!out) return fail("cannot write " + temporary + ": " + std::strerror(errno));
    }
    if (auto renamed = replace_file(temporary, path); !renamed) return renamed;
  }
  return {};
}

Result<void> assemble_openmetrics(const std::vector<std::string>& unit_prefixes,
                                  const std::string& output_path) {
  const std::string temporary = output_path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return fail("cannot write " + temporary + ": " + std::strerror(errno));
    for (const HourlyFamily family : kHourlyFamilies) {
      out << "# TYPE " << family_name(family) << " gauge\n";
      out << "# HELP " << family_name(family) << " " << text_of(family).help << "\n";
      for (const std::string& prefix : unit_prefixes) {
        const std::string path = family_file(prefix, family);
        std::ifstream in(path, std::ios::binary);
        if (!in) return fail("cannot read " + path + ": " + std::strerror(errno));
        // An empty file (a window with no hours) would set failbit on out.
        if (in.peek() != std::ifstream::traits_type::eof()) out << in.rdbuf();
      }
    }
    out << "# EOF\n";
    out.flush();
    if (!out) return fail("cannot write " + temporary + ": " + std::strerror(errno));
  }
  return replace_file(temporary, output_path);
}

}  // namespace xee::exporter
