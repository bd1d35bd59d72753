#include "com.h"

#include <cstdio>

namespace entra_broker {
namespace wam {

bool Widen(const std::string& utf8, std::wstring* out) {
  out->clear();
  if (utf8.empty()) return true;
  if (utf8.size() > 0x7fffffffu) return false;
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) return false;
  out->assign(static_cast<std::size_t>(n), L'\0');
  return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), &(*out)[0],
                             n) == n;
}

std::string Narrow(const wchar_t* utf16, UINT32 length) {
  if (utf16 == nullptr || length == 0) return std::string();
  int n = WideCharToMultiByte(CP_UTF8, 0, utf16, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
  if (n <= 0) return std::string();
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, utf16, static_cast<int>(length), &out[0], n, nullptr, nullptr);
  return out;
}

bool HString::Assign(const std::string& utf8) {
  Out();
  std::wstring w;
  ok_ = Widen(utf8, &w) && (w.empty() || SUCCEEDED(WindowsCreateString(w.c_str(), static_cast<UINT32>(w.size()), &h_)));
  return ok_;
}

std::string HString::Utf8() const {
  UINT32 length = 0;
  const wchar_t* raw = WindowsGetStringRawBuffer(h_, &length);
  return Narrow(raw, length);
}

std::map<std::string, std::string> ReadStringMap(IInspectable* map) {
  std::map<std::string, std::string> out;
  if (map == nullptr) return out;
  ComPtr<IStringPairIterableAbi> iterable;
  if (FAILED(map->QueryInterface(kIID_IterableStringPair, iterable.OutVoid()))) return out;
  ComPtr<IStringPairIteratorAbi> it;
  if (FAILED(iterable->First(it.Out())) || !it) return out;
  boolean has = 0;
  if (FAILED(it->get_HasCurrent(&has))) return out;
  while (has) {
    ComPtr<IStringPairAbi> pair;
    HString key, value;
    if (SUCCEEDED(it->get_Current(pair.Out())) && pair && SUCCEEDED(pair->get_Key(key.Out())) &&
        SUCCEEDED(pair->get_Value(value.Out()))) {
      out[key.Utf8()] = value.Utf8();
    }
    if (FAILED(it->MoveNext(&has))) break;
  }
  return out;
}

std::string HexCode(std::uint32_t code) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", code);
  return buf;
}

}  // namespace wam
}  // namespace entra_broker
