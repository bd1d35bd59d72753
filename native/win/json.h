// A small JSON reader and writer for the WAM requests and replies: the TypeScript layer
// (src/broker/windows.ts) sends one flat object per call and reads one back. Strings are UTF-8.
#ifndef ENTRA_BROKER_WIN_JSON_H_
#define ENTRA_BROKER_WIN_JSON_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace entra_broker {
namespace json {

struct Value {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Value> array;
  std::map<std::string, Value> object;

  // Object members, with a fallback when absent or of another kind.
  std::string Str(const std::string& key, const std::string& fallback = "") const;
  double Num(const std::string& key, double fallback) const;
  bool Bool(const std::string& key, bool fallback) const;
  const Value* Get(const std::string& key) const;
};

// Parses one JSON document; false (with *error set) on malformed input or nesting deeper than 32.
bool Parse(const std::string& text, Value* out, std::string* error);

// Appends "text" as a JSON string literal (quotes included) to *out.
void AppendString(const std::string& text, std::string* out);

// Builds one JSON object, member by member.
class ObjectWriter {
 public:
  ObjectWriter& String(const char* key, const std::string& value);
  ObjectWriter& Number(const char* key, double value);
  ObjectWriter& Raw(const char* key, const std::string& json);  // json: an already encoded value
  ObjectWriter& StringMap(const char* key, const std::map<std::string, std::string>& map);
  std::string Finish() const { return text_ + "}"; }

 private:
  void Key(const char* key);
  std::string text_ = "{";
};

}  // namespace json
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_JSON_H_
