// The stand-in's IAsyncOperation<T> / IAsyncAction: the work runs on a thread of its own after the
// scripted delay, then the completion handler is invoked on that thread. As WAM does (shared/
// research/wam-msal-client.md): a handler set after completion is invoked at once inside
// put_Completed; a second put_Completed fails with E_ILLEGAL_DELEGATE_ASSIGNMENT; GetResults before
// completion fails with E_ILLEGAL_METHOD_CALL; the operation keeps its handler until it is destroyed.
#ifndef STAND_IN_WAM_ASYNC_H_
#define STAND_IN_WAM_ASYNC_H_

#include <windows.h>

#include <functional>
#include <mutex>
#include <thread>

#include "objects.h"

namespace standin {

void LogEvent(const std::string& json_line);  // standInWam.cc

constexpr HRESULT kIllegalDelegateAssignment = static_cast<HRESULT>(0x80000018);
constexpr HRESULT kIllegalMethodCall = static_cast<HRESULT>(0x8000000E);

struct Outcome {
  HRESULT error = S_OK;           // failed: the operation ends in Error with this code
  IInspectable* result = nullptr;  // owned reference (null is a valid result)
};

// Iface: IAsyncOperationAbi or IAsyncActionAbi.
template <typename Iface>
class Async final : public Object<Iface, IAsyncInfoAbi> {
 public:
  using Work = std::function<Outcome()>;

  Async(const char* what, const GUID& iid, DWORD delay_ms, Work work)
      : Object<Iface, IAsyncInfoAbi>("Windows.Foundation.IAsyncOperation`1"), what_(what), iid_(iid), delay_ms_(delay_ms), work_(std::move(work)) {}
  ~Async() override {
    if (handler_ != nullptr) handler_->Release();
    if (result_ != nullptr) result_->Release();
  }

  // Starts the work on its own thread; the thread holds a reference until it is done.
  void Start() {
    this->AddRef();
    std::thread([this] {
      for (DWORD waited = 0; waited < delay_ms_ && !Cancelled(); waited += 10) Sleep(10);
      if (!Cancelled()) {
        Outcome o = work_();
        Complete(o.error == S_OK ? kAsyncCompleted : kAsyncError, o);
      }
      this->Release();
    }).detach();
  }

  HRESULT STDMETHODCALLTYPE put_Completed(IUnknown* handler) override {
    if (handler == nullptr) return E_POINTER;
    std::unique_lock<std::mutex> lock(mu_);
    if (handler_ != nullptr) return kIllegalDelegateAssignment;
    ICompletionHandlerAbi* h = nullptr;
    // The caller passes AsyncOperationCompletedHandler<T>*; it must answer its own IID.
    h = static_cast<ICompletionHandlerAbi*>(static_cast<void*>(handler));
    h->AddRef();
    handler_ = h;
    std::int32_t status = status_;
    lock.unlock();
    if (status != kAsyncStarted) h->Invoke(static_cast<Iface*>(this), status);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Completed(IUnknown** handler) override {
    std::lock_guard<std::mutex> lock(mu_);
    *handler = handler_;
    if (handler_ != nullptr) handler_->AddRef();
    return S_OK;
  }
  // IAsyncOperation<T>::GetResults (the IAsyncAction one is below).
  HRESULT STDMETHODCALLTYPE GetResults(void** result) {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_ == kAsyncError) return error_;
    if (status_ != kAsyncCompleted) return kIllegalMethodCall;
    *result = result_;
    if (result_ != nullptr) result_->AddRef();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetResults() {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_ == kAsyncError) return error_;
    return status_ == kAsyncCompleted ? S_OK : kIllegalMethodCall;
  }

  HRESULT STDMETHODCALLTYPE get_Id(UINT32* id) override { return *id = 1, S_OK; }
  HRESULT STDMETHODCALLTYPE get_Status(std::int32_t* status) override {
    std::lock_guard<std::mutex> lock(mu_);
    return *status = status_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_ErrorCode(HRESULT* code) override {
    std::lock_guard<std::mutex> lock(mu_);
    return *code = error_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE Cancel() override {
    LogEvent(std::string("{\"call\":\"IAsyncInfo.Cancel\",\"operation\":\"") + what_ + "\"}");
    Complete(kAsyncCanceled, Outcome());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Close() override {
    LogEvent(std::string("{\"call\":\"IAsyncInfo.Close\",\"operation\":\"") + what_ + "\"}");
    return S_OK;
  }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, iid_)) return static_cast<Iface*>(this);
    if (IsEqualGUID(iid, kIID_IAsyncInfo)) return static_cast<IAsyncInfoAbi*>(this);
    return nullptr;
  }

 private:
  bool Cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_ == kAsyncCanceled;
  }
  void Complete(std::int32_t status, const Outcome& o) {
    std::unique_lock<std::mutex> lock(mu_);
    if (status_ != kAsyncStarted) {
      if (o.result != nullptr) o.result->Release();
      return;
    }
    status_ = status;
    error_ = status == kAsyncError ? o.error : S_OK;
    result_ = o.result;
    ICompletionHandlerAbi* h = handler_;
    if (h != nullptr) h->AddRef();
    lock.unlock();
    if (h != nullptr) {
      h->Invoke(static_cast<Iface*>(this), status);
      h->Release();
    }
  }

  const char* what_;
  GUID iid_;
  DWORD delay_ms_;
  Work work_;
  std::mutex mu_;
  std::int32_t status_ = kAsyncStarted;
  HRESULT error_ = S_OK;
  IInspectable* result_ = nullptr;
  ICompletionHandlerAbi* handler_ = nullptr;
};

using AsyncOperation = Async<IAsyncOperationAbi>;
using AsyncAction = Async<IAsyncActionAbi>;

}  // namespace standin

#endif  // STAND_IN_WAM_ASYNC_H_
