// What the stand-in serves beyond the addon's declarations (native/win/winrt_abi.h): the remaining
// slots of interfaces a client may call, and the IIDs a server must answer QueryInterface for.
// Parameterized IIDs: computed by the WinRT rule (test/wine/winrtIid.mjs, checked by iids.test.mjs).
#ifndef STAND_IN_WAM_ABI_EXTRA_H_
#define STAND_IN_WAM_ABI_EXTRA_H_

#include <activation.h>

#include "win/com.h"
#include "win/winrt_abi.h"

namespace entra_broker {
namespace wam {

#ifndef E_BOUNDS
constexpr HRESULT E_BOUNDS = static_cast<HRESULT>(0x8000000B);
#endif

constexpr GUID kIID_IInspectable = MakeGuid(0xaf86e2e0, 0xb12d, 0x4c6a, 0x9c, 0x5a, 0xd7, 0xaa, 0x65, 0x10, 0x1e, 0x90);
constexpr GUID kIID_IActivationFactory = MakeGuid(0x00000035, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
constexpr GUID kIID_IAsyncAction = MakeGuid(0x5a648006, 0x843a, 0x4da9, 0x86, 0x5b, 0x9d, 0x26, 0xe5, 0xdf, 0xad, 0x7b);
constexpr GUID kIID_IWebTokenRequest = MakeGuid(0xb77b4d68, 0xadcb, 0x4673, 0xb3, 0x64, 0x0c, 0xf7, 0xb3, 0x5c, 0xaf, 0x97);
constexpr GUID kIID_IWebTokenRequestResult = MakeGuid(0xc12a8305, 0xd1f8, 0x4483, 0x8d, 0x54, 0x38, 0xfe, 0x29, 0x27, 0x84, 0xff);
constexpr GUID kIID_IWebTokenResponse = MakeGuid(0x67a7c5ca, 0x83f6, 0x44c6, 0xa3, 0xb1, 0x0e, 0xb6, 0x9e, 0x41, 0xfa, 0x8a);
constexpr GUID kIID_IWebProviderError = MakeGuid(0xdb191bb1, 0x50c5, 0x4809, 0x8d, 0xca, 0x09, 0xc9, 0x94, 0x10, 0x24, 0x5c);
constexpr GUID kIID_IFindAllAccountsResult = MakeGuid(0xa5812b5d, 0xb72e, 0x420c, 0x86, 0xab, 0xaa, 0xc0, 0xd7, 0xb7, 0x26, 0x1f);

constexpr GUID kIID_AsyncOperationWebAccountProvider = MakeGuid(0x88c66009, 0x12f7, 0x58e2, 0x8d, 0xbe, 0x6e, 0xfc, 0x62, 0x0c, 0x85, 0xba);
constexpr GUID kIID_AsyncOperationWebAccount = MakeGuid(0xacd76b54, 0x297f, 0x5a18, 0x91, 0x43, 0x20, 0xa3, 0x09, 0xe2, 0xdf, 0xd3);
constexpr GUID kIID_AsyncOperationFindAllAccountsResult = MakeGuid(0x9affb572, 0x58c3, 0x5c6c, 0x93, 0x97, 0x2b, 0x77, 0x04, 0xaa, 0x35, 0xc3);
constexpr GUID kIID_VectorViewWebTokenResponse = MakeGuid(0x199e065c, 0x8195, 0x55da, 0x9c, 0x10, 0x8a, 0xea, 0xf9, 0xac, 0x10, 0x62);
constexpr GUID kIID_VectorViewWebAccount = MakeGuid(0xe0798d3d, 0x2b4a, 0x589a, 0xab, 0x12, 0x02, 0xdc, 0xcc, 0x15, 0x8a, 0xfc);
constexpr GUID kIID_IterableWebTokenResponse = MakeGuid(0x7e5bb7ec, 0xbbd7, 0x5575, 0x9a, 0x61, 0xf5, 0x81, 0x5f, 0xa2, 0x2a, 0x0e);
constexpr GUID kIID_IterableWebAccount = MakeGuid(0xcb15d439, 0xa910, 0x542a, 0x89, 0xed, 0x7c, 0xfe, 0x67, 0x84, 0x8a, 0x83);
constexpr GUID kIID_IteratorWebTokenResponse = MakeGuid(0xf080b0c9, 0xa095, 0x5b3a, 0xa1, 0xdc, 0xd1, 0x7e, 0x7d, 0x29, 0x82, 0xc7);
constexpr GUID kIID_IteratorWebAccount = MakeGuid(0xbfb82cca, 0xaebc, 0x567c, 0x95, 0xd9, 0xeb, 0xa2, 0x5c, 0x36, 0x5f, 0xaa);
constexpr GUID kIID_MapStringString = MakeGuid(0xf6d1f700, 0x49c2, 0x52ae, 0x81, 0x54, 0x82, 0x6f, 0x99, 0x08, 0x77, 0x3c);
constexpr GUID kIID_MapViewStringString = MakeGuid(0xac7f26f2, 0xfeb7, 0x5b2a, 0x8a, 0xc4, 0x34, 0x5b, 0xc6, 0x2c, 0xae, 0xde);
constexpr GUID kIID_StringPair = MakeGuid(0x60310303, 0x49c5, 0x52e6, 0xab, 0xc6, 0xa9, 0xb3, 0x6e, 0xcc, 0xc7, 0x16);
constexpr GUID kIID_IteratorStringPair = MakeGuid(0x05eb86f1, 0x7140, 0x5517, 0xb8, 0x8d, 0xcb, 0xae, 0xbe, 0x57, 0xe6, 0xb1);

// IIterator<KeyValuePair> with its last slot, GetMany(9).
struct IStringPairIteratorFull : IStringPairIteratorAbi {
  virtual HRESULT STDMETHODCALLTYPE GetMany(UINT32 capacity, IStringPairAbi** items, UINT32* actual) = 0;
};
// IVectorView<T> with IndexOf(8) and GetMany(9).
struct IVectorViewFull : IVectorViewAbi {
  virtual HRESULT STDMETHODCALLTYPE IndexOf(void* value, UINT32* index, boolean* found) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetMany(UINT32 start, UINT32 capacity, void** items, UINT32* actual) = 0;
};
// IIterator<T> / IIterable<T> for T an interface.
struct IObjectIteratorAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Current(void** current) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_HasCurrent(boolean* has) = 0;
  virtual HRESULT STDMETHODCALLTYPE MoveNext(boolean* has) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetMany(UINT32 capacity, void** items, UINT32* actual) = 0;
};
struct IObjectIterableAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE First(IObjectIteratorAbi** first) = 0;
};
// IWebTokenRequestFactory: CreateWithProvider(8) CreateWithScope(9).
struct IWebTokenRequestFactoryFull : IWebTokenRequestFactoryAbi {
  virtual HRESULT STDMETHODCALLTYPE CreateWithProvider(IWebAccountProviderAbi* provider, IWebTokenRequestAbi** request) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateWithScope(IWebAccountProviderAbi* provider, HSTRING scope, IWebTokenRequestAbi** request) = 0;
};
// IWebAuthenticationCoreManagerStatics4: FindSystemAccountProviderAsync(8),
// ...WithAuthorityAsync(9), ...WithAuthorityForUserAsync(10).
struct IWebAuthenticationCoreManagerStatics4Full : IWebAuthenticationCoreManagerStatics4Abi {
  virtual HRESULT STDMETHODCALLTYPE FindSystemAccountProviderAsync(HSTRING id, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindSystemAccountProviderWithAuthorityAsync(HSTRING id, HSTRING authority, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindSystemAccountProviderWithAuthorityForUserAsync(HSTRING id, HSTRING authority, IInspectable* user, IAsyncOperationAbi** op) = 0;
};

}  // namespace wam
}  // namespace entra_broker

#endif  // STAND_IN_WAM_ABI_EXTRA_H_
