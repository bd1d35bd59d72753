// Ownership helpers for the WinRT ABI: a COM pointer that releases itself, an HSTRING that deletes
// itself, and UTF-8 <-> UTF-16 conversion. Nothing here throws.
#ifndef ENTRA_BROKER_WIN_COM_H_
#define ENTRA_BROKER_WIN_COM_H_

#include <windows.h>
#include <winstring.h>

#include <map>
#include <string>
#include <utility>

#include "winrt_abi.h"

namespace entra_broker {
namespace wam {

template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  ComPtr(ComPtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  ComPtr& operator=(ComPtr&& o) noexcept {
    if (this != &o) {
      Reset();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  ~ComPtr() { Reset(); }

  void Reset() {
    if (p_ != nullptr) std::exchange(p_, nullptr)->Release();
  }
  T* Get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // For out parameters: releases what it holds first.
  T** Out() {
    Reset();
    return &p_;
  }
  void** OutVoid() { return reinterpret_cast<void**>(Out()); }

  template <typename U>
  HRESULT As(const GUID& iid, ComPtr<U>* out) const {
    if (p_ == nullptr) return E_POINTER;
    return p_->QueryInterface(iid, out->OutVoid());
  }

 private:
  T* p_ = nullptr;
};

// False when `utf8` is not valid UTF-8 (nothing is replaced silently).
bool Widen(const std::string& utf8, std::wstring* out);
std::string Narrow(const wchar_t* utf16, UINT32 length);

// An owned HSTRING (null is the empty string, as WinRT has it).
class HString {
 public:
  HString() = default;
  // Check ok(): false when the text is not UTF-8 or the string could not be made (out of memory).
  explicit HString(const std::string& utf8) { Assign(utf8); }
  bool Assign(const std::string& utf8);  // false (and ok() false) as above
  HString(const HString&) = delete;
  HString& operator=(const HString&) = delete;
  ~HString() {
    if (h_ != nullptr) WindowsDeleteString(h_);
  }
  HSTRING Get() const { return h_; }
  HSTRING* Out() {
    if (h_ != nullptr) WindowsDeleteString(h_);
    h_ = nullptr;
    return &h_;
  }
  std::string Utf8() const;
  bool ok() const { return ok_; }

 private:
  HSTRING h_ = nullptr;
  bool ok_ = true;
};

// Every key/value of a string map (IMap or IMapView; both are IIterable<IKeyValuePair<String,String>>).
std::map<std::string, std::string> ReadStringMap(IInspectable* map);

// "0x80040154" for logs and messages.
std::string HexCode(std::uint32_t code);

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_COM_H_
