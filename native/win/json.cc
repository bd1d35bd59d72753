#include "json.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace entra_broker {
namespace json {

namespace {

constexpr int kMaxDepth = 32;

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  bool Document(Value* out, std::string* error) {
    if (!ParseValue(out, 0) || (SkipSpace(), pos_ != s_.size())) {
      *error = "malformed JSON at offset " + std::to_string(pos_);
      return false;
    }
    return true;
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Literal(const char* word) {
    std::size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }

  bool ParseValue(Value* out, int depth) {
    if (depth > kMaxDepth) return false;
    SkipSpace();
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      out->kind = Value::Kind::kString;
      return ParseString(&out->string);
    }
    if (Literal("true")) {
      out->kind = Value::Kind::kBool;
      out->boolean = true;
      return true;
    }
    if (Literal("false")) {
      out->kind = Value::Kind::kBool;
      return true;
    }
    if (Literal("null")) return true;
    return ParseNumber(out);
  }

  bool ParseNumber(Value* out) {
    const char* start = s_.c_str() + pos_;
    char* end = nullptr;
    double d = std::strtod(start, &end);
    if (end == start || !std::isfinite(d)) return false;
    pos_ += static_cast<std::size_t>(end - start);
    out->kind = Value::Kind::kNumber;
    out->number = d;
    return true;
  }

  static void AppendUtf8(std::uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xc0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xe0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      *out += static_cast<char>(0xf0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      *out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  bool Hex4(std::uint32_t* out) {
    if (pos_ + 4 > s_.size()) return false;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    *out = v;
    return true;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // the opening quote
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          std::uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp <= 0xdbff) {
            std::uint32_t low;
            if (s_.compare(pos_, 2, "\\u") != 0) return false;
            pos_ += 2;
            if (!Hex4(&low) || low < 0xdc00 || low > 0xdfff) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return false;
          }
          AppendUtf8(cp, out);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  bool ParseArray(Value* out, int depth) {
    out->kind = Value::Kind::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
    for (;;) {
      out->array.emplace_back();
      if (!ParseValue(&out->array.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= s_.size()) return false;
      char c = s_[pos_++];
      if (c == ']') return true;
      if (c != ',') return false;
    }
  }

  bool ParseObject(Value* out, int depth) {
    out->kind = Value::Kind::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
    for (;;) {
      SkipSpace();
      std::string key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !ParseString(&key)) return false;
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_++] != ':') return false;
      Value v;
      if (!ParseValue(&v, depth + 1)) return false;
      out->object[key] = std::move(v);
      SkipSpace();
      if (pos_ >= s_.size()) return false;
      char c = s_[pos_++];
      if (c == '}') return true;
      if (c != ',') return false;
    }
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

}  // namespace

const Value* Value::Get(const std::string& key) const {
  if (kind != Kind::kObject) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

std::string Value::Str(const std::string& key, const std::string& fallback) const {
  const Value* v = Get(key);
  return v != nullptr && v->kind == Kind::kString ? v->string : fallback;
}

double Value::Num(const std::string& key, double fallback) const {
  const Value* v = Get(key);
  return v != nullptr && v->kind == Kind::kNumber ? v->number : fallback;
}

bool Value::Bool(const std::string& key, bool fallback) const {
  const Value* v = Get(key);
  return v != nullptr && v->kind == Kind::kBool ? v->boolean : fallback;
}

bool Parse(const std::string& text, Value* out, std::string* error) {
  *out = Value();
  return Parser(text).Document(out, error);
}

void AppendString(const std::string& text, std::string* out) {
  *out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

void ObjectWriter::Key(const char* key) {
  if (text_.size() > 1) text_ += ',';
  AppendString(key, &text_);
  text_ += ':';
}

ObjectWriter& ObjectWriter::String(const char* key, const std::string& value) {
  Key(key);
  AppendString(value, &text_);
  return *this;
}

ObjectWriter& ObjectWriter::Number(const char* key, double value) {
  Key(key);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  text_ += buf;
  return *this;
}

ObjectWriter& ObjectWriter::Raw(const char* key, const std::string& json) {
  Key(key);
  text_ += json;
  return *this;
}

ObjectWriter& ObjectWriter::StringMap(const char* key, const std::map<std::string, std::string>& map) {
  Key(key);
  text_ += '{';
  bool first = true;
  for (const auto& kv : map) {
    if (!first) text_ += ',';
    first = false;
    AppendString(kv.first, &text_);
    text_ += ':';
    AppendString(kv.second, &text_);
  }
  text_ += '}';
  return *this;
}

}  // namespace json
}  // namespace entra_broker
