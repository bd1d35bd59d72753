// JSON for the WAM requests and replies (src/broker/windows.ts sends one object per call and reads
// one back), on nlohmann/json (native/third_party/nlohmann). Portable C++17: no Windows headers, so
// the fuzzer and the JSON cases run on Linux (test/native/winJson*.test.mjs). Nothing here throws.
//
// Parse() reads RFC 8259 JSON, with these documented choices where nlohmann alone would differ:
// - a string escape of an unpaired UTF-16 surrogate (`"\ud800"`, which JSON.stringify writes for
//   a lone surrogate) reads as U+FFFD, as Node's own UTF-8 conversion and D-Bus on Linux have it;
// - every number reads as the nearest double, and one beyond double's range as +-infinity (as
//   JSON.parse gives): `1e400` or a 400-digit integer no longer fails the document. Numbers are
//   converted with std::from_chars (locale-independent, linear; nlohmann would use strtod);
// - arrays and objects nest at most kMaxDepth deep: the kMaxDepth-th nested container is fine,
//   one more fails;
// - a leading UTF-8 byte order mark is skipped; invalid UTF-8 fails.
#ifndef ENTRA_BROKER_WIN_JSON_H_
#define ENTRA_BROKER_WIN_JSON_H_

#include <string>

#include "../third_party/nlohmann/json.hpp"

namespace entra_broker {
namespace json {

using Value = nlohmann::json;

constexpr int kMaxDepth = 32;

// One JSON document; false with *error (a reason and a byte offset, never the input's text) when
// it is malformed or nested deeper than kMaxDepth.
bool Parse(const std::string& text, Value* out, std::string* error);

// Compact JSON text; invalid UTF-8 in a string is written as U+FFFD, a non-finite number as null.
std::string Write(const Value& value);

}  // namespace json
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_JSON_H_
