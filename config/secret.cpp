#include "config/secret.h"

namespace xee::config {

std::ostream& operator<<(std::ostream& out, const Secret&) {
  return out << kRedacted;
}

std::string to_string(const Secret&) {
  return std::string(kRedacted);
}

}  // namespace xee::config
