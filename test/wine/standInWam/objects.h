// The stand-in WAM's building blocks: a reference-counted WinRT object over any set of ABI
// interfaces (one QueryInterface/AddRef/Release/IInspectable serves them all), string maps with
// their iterators, and vector views of objects. Interfaces come from the addon's own declarations
// (native/win/winrt_abi.h) plus the extra slots in abi_extra.h.
#ifndef STAND_IN_WAM_OBJECTS_H_
#define STAND_IN_WAM_OBJECTS_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "abi_extra.h"

namespace standin {

using namespace entra_broker::wam;

void LogQueryMiss(const char* object, REFIID iid);  // standInWam.cc

// How many stand-in objects are alive: what a client leaks shows up here.
inline std::atomic<long>& LiveObjects() {
  static std::atomic<long> live{0};
  return live;
}
std::string Utf8(HSTRING s);
HSTRING MakeHString(const std::string& utf8);  // a new HSTRING the caller owns (out parameters)

// Bases: the ABI interfaces, the first of which is handed out for IUnknown/IInspectable.
template <typename First, typename... Rest>
class Object : public First, public Rest... {
 public:
  Object(const char* class_name) : class_name_(class_name) { ++LiveObjects(); }
  virtual ~Object() { --LiveObjects(); }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    if (IsEqualGUID(iid, IID_IUnknown) || IsEqualGUID(iid, kIID_IInspectable) || IsEqualGUID(iid, kIID_IAgileObject)) {
      *out = static_cast<First*>(this);
    } else {
      *out = Find(iid);
    }
    if (*out == nullptr) {
      LogQueryMiss(class_name_, iid);
      return E_NOINTERFACE;
    }
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return static_cast<ULONG>(++refs_); }
  ULONG STDMETHODCALLTYPE Release() override {
    long left = --refs_;
    if (left == 0) delete this;
    return static_cast<ULONG>(left);
  }
  HRESULT STDMETHODCALLTYPE GetIids(ULONG* count, IID** iids) override {
    if (count == nullptr || iids == nullptr) return E_POINTER;
    *count = 0;
    *iids = nullptr;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetRuntimeClassName(HSTRING* name) override {
    if (name == nullptr) return E_POINTER;
    *name = MakeHString(class_name_);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetTrustLevel(TrustLevel* level) override {
    if (level == nullptr) return E_POINTER;
    *level = BaseTrust;
    return S_OK;
  }

 protected:
  // The interface pointer for iid (without AddRef), or null.
  virtual void* Find(REFIID iid) = 0;

 private:
  std::atomic<long> refs_{1};
  const char* class_name_;
};

// Creates an object with one reference, which the caller owns.
template <typename T, typename... Args>
T* New(Args&&... args) {
  return new T(std::forward<Args>(args)...);
}

using StringMap = std::map<std::string, std::string>;

class StringPair final : public Object<IStringPairAbi> {
 public:
  StringPair(std::string k, std::string v) : Object("Windows.Foundation.Collections.IKeyValuePair`2<String, String>"), k_(std::move(k)), v_(std::move(v)) {}
  HRESULT STDMETHODCALLTYPE get_Key(HSTRING* key) override { return *key = MakeHString(k_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_Value(HSTRING* value) override { return *value = MakeHString(v_), S_OK; }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_StringPair) ? static_cast<IStringPairAbi*>(this) : nullptr; }

 private:
  std::string k_, v_;
};

class StringPairIterator final : public Object<IStringPairIteratorFull> {
 public:
  explicit StringPairIterator(StringMap snapshot) : Object("Windows.Foundation.Collections.IIterator`1"), items_(std::move(snapshot)), it_(items_.begin()) {}
  HRESULT STDMETHODCALLTYPE get_Current(IStringPairAbi** current) override {
    if (it_ == items_.end()) return E_BOUNDS;
    *current = New<StringPair>(it_->first, it_->second);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_HasCurrent(boolean* has) override { return *has = it_ != items_.end(), S_OK; }
  HRESULT STDMETHODCALLTYPE MoveNext(boolean* has) override {
    if (it_ != items_.end()) ++it_;
    *has = it_ != items_.end();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetMany(UINT32 capacity, IStringPairAbi** items, UINT32* actual) override {
    UINT32 n = 0;
    for (; n < capacity && it_ != items_.end(); ++n, ++it_) items[n] = New<StringPair>(it_->first, it_->second);
    *actual = n;
    return S_OK;
  }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_IteratorStringPair) ? static_cast<IStringPairIteratorFull*>(this) : nullptr; }

 private:
  StringMap items_;
  StringMap::const_iterator it_;
};

// IMapView<String,String> over a fixed map (WebAccount.Properties).
class StringMapView final : public Object<IStringMapViewAbi, IStringPairIterableAbi> {
 public:
  explicit StringMapView(StringMap items) : Object("Windows.Foundation.Collections.IMapView`2<String, String>"), items_(std::move(items)) {}
  HRESULT STDMETHODCALLTYPE Lookup(HSTRING key, HSTRING* value) override {
    auto it = items_.find(Utf8(key));
    if (it == items_.end()) return E_BOUNDS;
    *value = MakeHString(it->second);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) override { return *size = static_cast<UINT32>(items_.size()), S_OK; }
  HRESULT STDMETHODCALLTYPE HasKey(HSTRING key, boolean* found) override { return *found = items_.count(Utf8(key)) != 0, S_OK; }
  HRESULT STDMETHODCALLTYPE Split(IStringMapViewAbi** first, IStringMapViewAbi** second) override {
    *first = nullptr;
    *second = nullptr;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE First(IStringPairIteratorAbi** first) override {
    *first = New<StringPairIterator>(items_);
    return S_OK;
  }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_MapViewStringString)) return static_cast<IStringMapViewAbi*>(this);
    if (IsEqualGUID(iid, kIID_IterableStringPair)) return static_cast<IStringPairIterableAbi*>(this);
    return nullptr;
  }

 private:
  StringMap items_;
};

// IMap<String,String> (WebTokenRequest.Properties, WebTokenResponse.Properties, WebProviderError.Properties).
class StringMapObject final : public Object<IStringMapAbi, IStringPairIterableAbi> {
 public:
  StringMapObject() : Object("Windows.Foundation.Collections.StringMap") {}
  explicit StringMapObject(StringMap items) : StringMapObject() { items_ = std::move(items); }
  HRESULT STDMETHODCALLTYPE Lookup(HSTRING key, HSTRING* value) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = items_.find(Utf8(key));
    if (it == items_.end()) return E_BOUNDS;
    *value = MakeHString(it->second);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) override {
    std::lock_guard<std::mutex> lock(mu_);
    return *size = static_cast<UINT32>(items_.size()), S_OK;
  }
  HRESULT STDMETHODCALLTYPE HasKey(HSTRING key, boolean* found) override {
    std::lock_guard<std::mutex> lock(mu_);
    return *found = items_.count(Utf8(key)) != 0, S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetView(IStringMapViewAbi** view) override {
    *view = New<StringMapView>(Snapshot());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Insert(HSTRING key, HSTRING value, boolean* replaced) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string k = Utf8(key);
    *replaced = items_.count(k) != 0;
    items_[k] = Utf8(value);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Remove(HSTRING key) override {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.erase(Utf8(key)) ? S_OK : E_BOUNDS;
  }
  HRESULT STDMETHODCALLTYPE Clear() override {
    std::lock_guard<std::mutex> lock(mu_);
    items_.clear();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE First(IStringPairIteratorAbi** first) override {
    *first = New<StringPairIterator>(Snapshot());
    return S_OK;
  }
  StringMap Snapshot() {
    std::lock_guard<std::mutex> lock(mu_);
    return items_;
  }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_MapStringString)) return static_cast<IStringMapAbi*>(this);
    if (IsEqualGUID(iid, kIID_IterableStringPair)) return static_cast<IStringPairIterableAbi*>(this);
    return nullptr;
  }

 private:
  std::mutex mu_;
  StringMap items_;
};

// IVectorView<T> (+ IIterable<T>) of WinRT objects; holds a reference to each item.
class ObjectVector;
class ObjectIterator final : public Object<IObjectIteratorAbi> {
 public:
  ObjectIterator(std::vector<IInspectable*> items, const GUID& iid);
  ~ObjectIterator() override;
  HRESULT STDMETHODCALLTYPE get_Current(void** current) override;
  HRESULT STDMETHODCALLTYPE get_HasCurrent(boolean* has) override { return *has = index_ < items_.size(), S_OK; }
  HRESULT STDMETHODCALLTYPE MoveNext(boolean* has) override {
    if (index_ < items_.size()) ++index_;
    *has = index_ < items_.size();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetMany(UINT32 capacity, void** items, UINT32* actual) override;

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, iid_) ? static_cast<IObjectIteratorAbi*>(this) : nullptr; }

 private:
  std::vector<IInspectable*> items_;
  std::size_t index_ = 0;
  GUID iid_;
};

class ObjectVector final : public Object<IVectorViewFull, IObjectIterableAbi> {
 public:
  // items: default-interface pointers (each AddRef'ed here); the IIDs this view answers to.
  ObjectVector(std::vector<IInspectable*> items, const GUID& vector_iid, const GUID& iterable_iid, const GUID& iterator_iid);
  ~ObjectVector() override;
  HRESULT STDMETHODCALLTYPE GetAt(UINT32 index, void** item) override;
  HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) override { return *size = static_cast<UINT32>(items_.size()), S_OK; }
  HRESULT STDMETHODCALLTYPE IndexOf(void* value, UINT32* index, boolean* found) override;
  HRESULT STDMETHODCALLTYPE GetMany(UINT32 start, UINT32 capacity, void** items, UINT32* actual) override;
  HRESULT STDMETHODCALLTYPE First(IObjectIteratorAbi** first) override;

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, vector_iid_)) return static_cast<IVectorViewFull*>(this);
    if (IsEqualGUID(iid, iterable_iid_)) return static_cast<IObjectIterableAbi*>(this);
    return nullptr;
  }

 private:
  std::vector<IInspectable*> items_;
  GUID vector_iid_, iterable_iid_, iterator_iid_;
};

}  // namespace standin

#endif  // STAND_IN_WAM_OBJECTS_H_
