// Helpers shared by every OS: correlation ids, UTF-8 checks, operation names. No N-API, no OS calls.
#include <cstdio>
#include <random>

#include "broker.h"

namespace entra_broker {

namespace {
struct OpName {
  BrokerOp op;
  const char* name;
};
constexpr OpName kOps[] = {
    {BrokerOp::kAvailability, "availability"}, {BrokerOp::kInteractiveToken, "interactiveToken"},
    {BrokerOp::kSilentToken, "silentToken"},   {BrokerOp::kAccounts, "accounts"},
    {BrokerOp::kSignOut, "signOut"},           {BrokerOp::kCancelInteractiveFlow, "cancelInteractiveFlow"},
};
}  // namespace

std::string NewCorrelationId() {
  // std::random_device reads the OS CSPRNG (getrandom on Linux, rand_s on Windows, arc4random on macOS).
  std::random_device rd;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    std::uint32_t r = rd();
    for (int j = 0; j < 4; ++j) b[i + j] = static_cast<unsigned char>(r >> (8 * j));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

bool IsValidUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    const std::uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n + 1;
  }
  return true;
}

const char* BrokerOpName(BrokerOp op) {
  for (const auto& o : kOps)
    if (o.op == op) return o.name;
  return "unknown";
}

bool ParseBrokerOp(const std::string& name, BrokerOp* out) {
  for (const auto& o : kOps) {
    if (name == o.name) {
      *out = o.op;
      return true;
    }
  }
  return false;
}

}  // namespace entra_broker
