#include "async_wait.h"

#include <atomic>

namespace entra_broker {
namespace wam {

namespace {

constexpr DWORD kStepMs = 50;           // how often cancel and the deadline are checked
constexpr DWORD kCancelGraceMs = 2000;  // how long a cancelled operation gets to say so

// AsyncOperationCompletedHandler<T> / AsyncActionCompletedHandler: records the status, sets an event.
class CompletionHandler final : public ICompletionHandlerAbi {
 public:
  CompletionHandler(const GUID& iid, HANDLE done) : iid_(iid), done_(done) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (out == nullptr) return E_POINTER;
    if (IsEqualGUID(riid, IID_IUnknown) || IsEqualGUID(riid, iid_) || IsEqualGUID(riid, kIID_IAgileObject)) {
      *out = static_cast<ICompletionHandlerAbi*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return static_cast<ULONG>(++refs_); }
  ULONG STDMETHODCALLTYPE Release() override {
    long left = --refs_;
    if (left == 0) delete this;
    return static_cast<ULONG>(left);
  }
  HRESULT STDMETHODCALLTYPE Invoke(IInspectable*, std::int32_t status) override {
    status_.store(status, std::memory_order_release);
    SetEvent(done_);
    return S_OK;
  }

  HANDLE done() const { return done_; }
  std::int32_t status() const { return status_.load(std::memory_order_acquire); }

 private:
  ~CompletionHandler() { CloseHandle(done_); }
  std::atomic<long> refs_{1};
  GUID iid_;
  HANDLE done_;
  std::atomic<std::int32_t> status_{-1};
};

void CancelAsync(IInspectable* op) {
  ComPtr<IAsyncInfoAbi> info;
  if (SUCCEEDED(op->QueryInterface(kIID_IAsyncInfo, info.OutVoid())) && info) info->Cancel();
}

}  // namespace

CallControl::CallControl(const CancelToken& cancel, std::uint32_t timeout_ms) : cancel_(cancel) {
  if (timeout_ms != 0) deadline_ = GetTickCount64() + timeout_ms;
}

const char* CallControl::StopCode() const {
  if (cancel_.IsCancelled()) return codes::kCancelled;
  if (deadline_ != 0 && GetTickCount64() >= deadline_) return codes::kTimeout;
  return nullptr;
}

BrokerOutcome HresultFailure(const char* code, const std::string& what, HRESULT hr) {
  BrokerOutcome o =
      BrokerOutcome::Failure(code, "WAM: " + what + " failed with HRESULT " + HexCode(static_cast<std::uint32_t>(hr)));
  o.error.os_code = static_cast<std::uint32_t>(hr);  // as JS shows HRESULTs: 0x80040154, not negative
  o.error.has_os_code = true;
  return o;
}

void CloseAsync(IInspectable* op) {
  ComPtr<IAsyncInfoAbi> info;
  if (SUCCEEDED(op->QueryInterface(kIID_IAsyncInfo, info.OutVoid())) && info) info->Close();
}

bool Await(IAsyncBaseAbi* op, const GUID& handler_iid, const CallControl& control, const char* what,
           BrokerOutcome* failure) {
  if (op == nullptr) {
    *failure = BrokerOutcome::Failure(codes::kBadReply, std::string("WAM: ") + what + " returned no operation");
    return false;
  }
  HANDLE done = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (done == nullptr) {
    *failure = HresultFailure(codes::kInternal, "CreateEvent", HRESULT_FROM_WIN32(GetLastError()));
    return false;
  }
  // The operation keeps its own reference until it is destroyed; ours goes when this returns.
  auto* handler = new CompletionHandler(handler_iid, done);
  struct Releaser {
    CompletionHandler* h;
    ~Releaser() { h->Release(); }
  } releaser{handler};

  HRESULT hr = op->put_Completed(handler);
  if (FAILED(hr)) {
    CloseAsync(op);
    *failure = HresultFailure(codes::kOsError, std::string(what) + " put_Completed", hr);
    return false;
  }
  while (WaitForSingleObject(handler->done(), kStepMs) == WAIT_TIMEOUT) {
    if (const char* stop = control.StopCode()) {
      CancelAsync(op);
      WaitForSingleObject(handler->done(), kCancelGraceMs);
      CloseAsync(op);  // every operation is closed, whatever its end (IAsyncInfo.Close)
      bool timeout = std::string(stop) == codes::kTimeout;
      *failure = BrokerOutcome::Failure(
          stop, std::string("WAM: ") + what + (timeout ? " timed out and was cancelled" : " was cancelled"));
      return false;
    }
  }
  switch (handler->status()) {
    case kAsyncCompleted:
      return true;
    case kAsyncCanceled:
      CloseAsync(op);
      *failure = BrokerOutcome::Failure(codes::kCancelled, std::string("WAM: ") + what + " was cancelled by Windows");
      return false;
    default: {
      HRESULT code = E_FAIL;
      ComPtr<IAsyncInfoAbi> info;
      if (SUCCEEDED(op->QueryInterface(kIID_IAsyncInfo, info.OutVoid())) && info) info->get_ErrorCode(&code);
      CloseAsync(op);
      *failure = HresultFailure(codes::kOsError, what, code);
      return false;
    }
  }
}

}  // namespace wam
}  // namespace entra_broker
