// The only file with N-API types. It checks and copies the JS arguments into a BrokerCall (the baton)
// on the JS thread, runs RunBrokerCall() on a thread of its own, and settles a promise on the JS thread.
//
// Why a thread per call and not the libuv pool (AsyncWorker): an interactive sign-in can wait for
// minutes, and four of those would starve fs, dns and crypto for the whole process; and Node waits for
// pool work before it can tear a worker_threads environment down, so a pending sign-in would hang
// worker.terminate(). Here the result comes back through a thread-safe function that exists only
// while the call is pending (so an idle addon holds no event-loop reference), and teardown trips
// every pending call's cancel token. A call thread can outlive the environment that started it (and
// every other one), so the module pins itself in memory at its first load.
//
// No C++ exception leaves this file: JS enters through CallEntry, which turns any into a JS error,
// and gives up quietly when the environment is terminating and JS can no longer run (node-addon-api's
// own wrapper would rethrow there, and the process would abort).
#include <napi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "binding_args.h"
#include "broker.h"

namespace entra_broker {
namespace {

struct AddonState;

// One call in flight, shared by the JS thread and the call's thread.
struct PendingCall {
  BrokerCall call;
  CancelToken cancel;
  BrokerOutcome outcome;  // written by the call thread before it sets outcome_ready
  std::atomic<bool> outcome_ready{false};
  std::mutex mu;  // guards tsfn: the call thread must not touch it once it is finalized
  napi_threadsafe_function tsfn = nullptr;
  napi_deferred deferred = nullptr;  // JS thread only; null once settled
  std::weak_ptr<AddonState> addon;   // JS thread only
};

// Per environment (main thread or worker); JS thread only.
struct AddonState {
  std::unordered_set<std::shared_ptr<PendingCall>> pending;
};

// Instance data. Its finalizer runs at environment teardown and cancels whatever is still pending.
struct AddonHolder {
  std::shared_ptr<AddonState> state = std::make_shared<AddonState>();
  ~AddonHolder() {
    for (const auto& p : state->pending) p->cancel.Cancel();
  }
};

Napi::Value MakeError(Napi::Env env, const PendingCall& p) {
  const BrokerError& e = p.outcome.error;
  Napi::Error err = Napi::Error::New(env, e.message.empty() ? e.code : e.message);
  err.Set("code", Napi::String::New(env, e.code));
  if (!e.os_error.empty()) err.Set("osError", Napi::String::New(env, e.os_error));
  if (e.has_os_code) err.Set("osCode", Napi::Number::New(env, static_cast<double>(e.os_code)));
  err.Set("operation", Napi::String::New(env, BrokerOpName(p.call.op)));
  err.Set("correlationId", Napi::String::New(env, p.call.correlation_id));
  return err.Value();
}

// JS thread: settles the promise with p->outcome, once. A failing napi call here means the environment
// is stopping and can no longer run JS: nobody is left to tell, so it is dropped.
void Settle(napi_env env, PendingCall* p) noexcept {
  if (env == nullptr || p->deferred == nullptr) return;
  napi_deferred deferred = p->deferred;
  p->deferred = nullptr;
  try {
    Napi::HandleScope scope(env);
    if (p->outcome.ok) {
      napi_value reply;
      if (napi_create_string_utf8(env, p->outcome.payload.data(), p->outcome.payload.size(), &reply) != napi_ok) {
        p->outcome = BrokerOutcome::Failure(codes::kInternal, "the broker's reply could not be made a JS string");
      } else if (napi_resolve_deferred(env, deferred, reply) == napi_ok) {
        return;
      }
    }
    napi_value error = MakeError(env, *p);
    (void)napi_reject_deferred(env, deferred, error);  // fails only when JS can no longer run
  } catch (...) {
  }
}

// JS thread: the call thread has finished (or env is null: the environment is going away).
void SettleOnJsThread(napi_env env, napi_value, void* context, void*) {
  Settle(env, static_cast<PendingCall*>(context));
}

// JS thread: the thread-safe function is being destroyed: released (after SettleOnJsThread, or
// because queueing the result failed: then it settles here), or at environment teardown. There it
// runs before ~AddonHolder, so an unsettled call is cancelled here: its thread then ends the broker's
// flow (cancelInteractiveFlow, IAsyncInfo::Cancel) instead of running on.
void FinalizeCall(napi_env env, void* data, void*) {
  auto* owner = static_cast<std::shared_ptr<PendingCall>*>(data);
  PendingCall* p = owner->get();
  if (p->outcome_ready.load(std::memory_order_acquire)) {
    Settle(env, p);
  } else if (p->deferred != nullptr) {
    p->cancel.Cancel();
  }
  {
    std::lock_guard<std::mutex> lock(p->mu);
    p->tsfn = nullptr;
  }
  if (auto state = p->addon.lock()) state->pending.erase(*owner);
  delete owner;
}

// Call thread (or the JS thread when no thread could start): hands the outcome to the JS thread.
void Deliver(const std::shared_ptr<PendingCall>& p) {
  p->outcome_ready.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(p->mu);
  if (p->tsfn == nullptr) return;  // the environment is gone
  napi_status status = napi_call_threadsafe_function(p->tsfn, nullptr, napi_tsfn_nonblocking);
  // napi_closing: the environment is going away and has already dropped our reference to it. Any other
  // failure: releasing it runs FinalizeCall on the JS thread, which settles from outcome_ready.
  if (status != napi_closing) (void)napi_release_threadsafe_function(p->tsfn, napi_tsfn_release);
}

void CallThread(std::shared_ptr<PendingCall> p) {
  try {
    p->outcome = RunBrokerCall(p->call, p->cancel);
  } catch (const std::exception& e) {
    p->outcome = BrokerOutcome::Failure(codes::kInternal, std::string("the broker call failed: ") + e.what());
  } catch (...) {
    p->outcome = BrokerOutcome::Failure(codes::kInternal, "the broker call failed");
  }
  Deliver(p);
}

Napi::Value Cancel(const Napi::CallbackInfo& info) {
  static_cast<PendingCall*>(info.Data())->cancel.Cancel();
  return info.Env().Undefined();
}

// call(operation, request, options?) -> { promise, cancel(), correlationId }
Napi::Value Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* holder = env.GetInstanceData<AddonHolder>();
  if (holder == nullptr) throw Napi::Error::New(env, "the entra-broker addon was not initialised");
  auto p = std::make_shared<PendingCall>();
  p->call = ParseArguments(info);

  // Everything that can fail on the JS thread comes before the thread-safe function and the thread,
  // so that once they exist, nothing here can leave the promise unsettled.
  napi_value promise;
  NAPI_THROW_IF_FAILED(env, napi_create_promise(env, &p->deferred, &promise), Napi::Value());
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("promise", Napi::Value(env, promise));
  handle.Set("correlationId", Napi::String::New(env, p->call.correlation_id));
  // The function holds the call alive (its finalizer drops the reference) and cancels through it.
  auto* keep = new std::shared_ptr<PendingCall>(p);
  Napi::Function cancel;
  try {
    cancel = Napi::Function::New(env, Cancel, "cancel", p.get());
    cancel.AddFinalizer([](Napi::Env, std::shared_ptr<PendingCall>* k) { delete k; }, keep);
  } catch (...) {
    delete keep;
    throw;
  }
  handle.Set("cancel", cancel);
  Napi::String name = Napi::String::New(env, "entra-broker:call");

  auto* owner = new std::shared_ptr<PendingCall>(p);
  napi_status status = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, owner, FinalizeCall, p.get(),
                                                       SettleOnJsThread, &p->tsfn);
  if (status != napi_ok) {
    delete owner;
    p->tsfn = nullptr;
    p->outcome = BrokerOutcome::Failure(codes::kInternal, "could not create a thread-safe function");
    Settle(env, p.get());
    return handle;
  }
  p->addon = holder->state;
  try {
    holder->state->pending.insert(p);
    std::thread(CallThread, p).detach();
  } catch (const std::exception& e) {
    p->outcome = BrokerOutcome::Failure(codes::kInternal, std::string("could not start a thread: ") + e.what());
    Deliver(p);
  }
  return handle;
}

// Throws `error` unless an exception is already pending; when JS can no longer run (the environment
// is terminating) napi_throw fails, and there is nobody to tell.
void ThrowQuietly(napi_env env, napi_value error) noexcept {
  bool pending = false;
  if (error == nullptr || napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  (void)napi_throw(env, error);
}

void ThrowInternal(napi_env env, const char* what) noexcept {
  napi_value message, code, error;
  const char* code_text = codes::kInternal;
  if (napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &message) != napi_ok ||
      napi_create_error(env, nullptr, message, &error) != napi_ok)
    return;
  if (napi_create_string_utf8(env, code_text, NAPI_AUTO_LENGTH, &code) == napi_ok)
    (void)napi_set_named_property(env, error, "code", code);
  ThrowQuietly(env, error);
}

// Every way in from JS: runs `body`, turning any C++ exception into a JS one (see the top of the file).
template <typename Body>
napi_value Guarded(napi_env env, Body body) noexcept {
  try {
    return body();
  } catch (const Napi::Error& e) {
    try {
      ThrowQuietly(env, e.Value());
    } catch (...) {
    }
  } catch (const std::exception& e) {
    ThrowInternal(env, e.what());
  } catch (...) {
    ThrowInternal(env, "the entra-broker addon failed");
  }
  return nullptr;
}

napi_value CallEntry(napi_env env, napi_callback_info cbinfo) {
  return Guarded(env, [&] {
    Napi::CallbackInfo info(env, cbinfo);
    return napi_value(Call(info));
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  static std::once_flag pinned;
  std::call_once(pinned, PinModuleForProcessLifetime);
  auto* holder = new AddonHolder();
  napi_status status = napi_set_instance_data(
      env, holder, [](napi_env, void* data, void*) { delete static_cast<AddonHolder*>(data); }, nullptr);
  if (status != napi_ok) {
    delete holder;
    throw Napi::Error::New(env);
  }
  napi_value call;
  NAPI_THROW_IF_FAILED(env, napi_create_function(env, "call", NAPI_AUTO_LENGTH, CallEntry, nullptr, &call), exports);
  exports.Set("call", Napi::Value(env, call));
  exports.Set("backend", Napi::String::New(env, BrokerBackendName()));
  return exports;
}

}  // namespace
}  // namespace entra_broker

// Not NODE_API_MODULE: its wrapper rethrows when JS cannot run (a worker terminated while loading us).
NAPI_MODULE_INIT() {
  return entra_broker::Guarded(
      env, [&] { return napi_value(entra_broker::Init(Napi::Env(env), Napi::Object(env, exports))); });
}
