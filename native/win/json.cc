#include "json.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

namespace entra_broker {
namespace json {

namespace {

// nlohmann/json rejects an unpaired surrogate escape and a number beyond double's range (error 406)
// and converts numbers with strtod (locale-bound, quadratic in some C runtimes). So one linear pass
// runs first: it replaces unpaired surrogate escapes with \uFFFD, checks the nesting depth, and
// replaces each JSON number with `0`, its value (std::from_chars) kept aside in document order for
// the parse callback to put back. Everything else, and every error, is left to nlohmann.
struct Prepared {
  std::string text;
  std::vector<double> numbers;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the escape `\uXXXX` at s[i], or -1 when there is none.
long Escape16(const std::string& s, std::size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    int d = HexDigit(s[k]);
    if (d < 0) return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool InNumber(char c) { return IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

// [first, last) as one JSON number (RFC 8259 section 6): its nearest double, +-infinity above
// double's range, +-0 below it. False when the text is not exactly one JSON number.
bool ReadNumber(const char* first, const char* last, double* out) {
  const char* p = first;
  bool negative = p < last && *p == '-';
  if (negative) ++p;
  if (p == last || !IsDigit(*p)) return false;
  const char* integer = p;
  if (*p == '0')
    ++p;
  else
    while (p < last && IsDigit(*p)) ++p;
  // The decimal exponent of the leading significant digit, to tell overflow from underflow.
  long long lead = (*integer != '0') ? static_cast<long long>(p - integer) - 1 : 0;
  if (p < last && *p == '.') {
    ++p;
    const char* fraction = p;
    while (p < last && IsDigit(*p)) ++p;
    if (p == fraction) return false;
    if (*integer == '0') {
      const char* q = fraction;
      while (q < p && *q == '0') ++q;
      lead = -static_cast<long long>(q - fraction) - 1;
    }
  }
  long long exponent = 0;
  if (p < last && (*p == 'e' || *p == 'E')) {
    ++p;
    bool minus = p < last && *p == '-';
    if (p < last && (*p == '-' || *p == '+')) ++p;
    if (p == last || !IsDigit(*p)) return false;
    for (; p < last && IsDigit(*p); ++p)
      if (exponent < 1000000000) exponent = exponent * 10 + (*p - '0');
    if (minus) exponent = -exponent;
  }
  if (p != last) return false;
  double value = 0;
  std::from_chars_result r = std::from_chars(first, last, value);
  if (r.ec == std::errc::result_out_of_range) {
    value = lead + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    if (negative) value = -value;
  } else if (r.ec != std::errc() || r.ptr != last) {
    return false;
  }
  *out = value;
  return true;
}

bool Prepare(const std::string& in, Prepared* out, std::string* error) {
  std::string& t = out->text;
  t.reserve(in.size());
  const std::size_t n = in.size();
  int depth = 0;
  std::size_t i = 0;
  while (i < n) {
    char c = in[i];
    if (c == '"') {  // a string: copied, but for unpaired surrogate escapes
      t += in[i++];
      while (i < n && in[i] != '"') {
        if (in[i] != '\\') {
          t += in[i++];
          continue;
        }
        long unit = Escape16(in, i);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          long low = Escape16(in, i + 6);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            t.append(in, i, 12);
            i += 12;
          } else {
            t += "\\uFFFD";
            i += 6;
          }
          continue;
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
          t += "\\uFFFD";
          i += 6;
          continue;
        }
        t += in[i++];  // the backslash and the escaped byte; nlohmann judges the escape
        if (i < n) t += in[i++];
      }
      if (i < n) t += in[i++];
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        *error = "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels at byte " + std::to_string(i);
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == '-' || IsDigit(c)) {
      std::size_t end = i;
      while (end < n && InNumber(in[end])) ++end;
      double value = 0;
      if (ReadNumber(in.data() + i, in.data() + end, &value)) {
        t += '0';
        out->numbers.push_back(value);
      } else {
        t.append(in, i, end - i);  // not a JSON number (01, +1, 1., 0x10...): nlohmann rejects it
      }
      i = end;
      continue;
    }
    t += c;
    ++i;
  }
  return true;
}

// nlohmann's reason alone: without "last read: '...'", which would quote the input, and without
// the line and column, which count in the prepared text.
std::string Reason(const char* what) {
  std::string s(what);
  std::size_t cut = s.find("; last read");
  if (cut != std::string::npos) s.erase(cut);
  std::size_t start = s.find(": ");
  if (start != std::string::npos) s.erase(0, start + 2);
  return s;
}

}  // namespace

bool Parse(const std::string& text, Value* out, std::string* error) {
  try {
    Prepared prepared;
    if (!Prepare(text, &prepared, error)) return false;
    std::size_t next = 0;
    bool matched = true;
    Value::parser_callback_t put_numbers_back = [&](int, Value::parse_event_t event, Value& parsed) {
      if (event == Value::parse_event_t::value && parsed.is_number()) {
        if (next < prepared.numbers.size())
          parsed = prepared.numbers[next++];
        else
          matched = false;
      }
      return true;
    };
    Value value = Value::parse(prepared.text, put_numbers_back, /*allow_exceptions=*/true, /*ignore_comments=*/false);
    if (!matched || next != prepared.numbers.size()) {
      *error = "malformed JSON (numbers out of step)";
      return false;
    }
    *out = std::move(value);
    return true;
  } catch (const Value::parse_error& e) {
    *error = "malformed JSON: " + Reason(e.what());
  } catch (const std::exception& e) {
    *error = std::string("could not read the JSON: ") + e.what();
  }
  return false;
}

std::string Write(const Value& value) { return value.dump(-1, ' ', false, Value::error_handler_t::replace); }

}  // namespace json
}  // namespace entra_broker
