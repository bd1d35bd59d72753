// The WinRT ABI of WAM (Windows.Security.Authentication.Web.Core), declared by hand: mingw-w64 ships
// no header for it, and the SDK's C++/WinRT projections would drag the whole SDK in. Only what the
// broker calls is declared; every interface keeps the complete slot order up to its last used method.
//
// Sources, two per declaration (research notes: shared/research/wam-macos.md A.2):
//   [M] ynkdir/py-win32more, generated from Windows.winmd: Windows/Security/Authentication/Web/Core/
//       __init__.py, Windows/Security/Credentials/__init__.py, Windows/Foundation/__init__.py,
//       Windows/Foundation/Collections/__init__.py, Windows/Win32/System/WinRT/__init__.py
//   [W] the Wine-fork IDLs include/windows.security.authentication.web.core.idl (giang17/wine,
//       BedrockNative/WineGDK) and mingw-w64 include/asyncinfo.h, objidlbase.h
//   [D] learn.microsoft.com, webauthenticationcoremanagerinterop.h (IWebAuthenticationCoreManagerInterop)
//   [S] SDK-derived headers in public code: the ABI structs of windows.security.authentication.web.core.h
//       and windows.security.credentials.h (C++/WinRT's old ABI headers, TerraFX.Interop.Windows), the
//       Delphi WinRT units and Dart's win32 package (IIDs, and "vtable begins at 6, is N entries long")
//   [P] parameterized IIDs: the WinRT rule (SHA-1 over the pinterface signature), computed and then
//       found in public SDK-style headers (Delphi WinRT headers; Dart win32 requestTokenForWindowAsync)
// Slots 0-2 are IUnknown, 3-5 IInspectable; an interface's own methods start at slot 6.
#ifndef ENTRA_BROKER_WIN_WINRT_ABI_H_
#define ENTRA_BROKER_WIN_WINRT_ABI_H_

#include <windows.h>
#include <inspectable.h>
#include <winstring.h>

#include <cstdint>

namespace entra_broker {
namespace wam {

// {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} as a GUID constant.
constexpr GUID MakeGuid(std::uint32_t a, std::uint16_t b, std::uint16_t c, std::uint8_t d0, std::uint8_t d1,
                        std::uint8_t d2, std::uint8_t d3, std::uint8_t d4, std::uint8_t d5, std::uint8_t d6,
                        std::uint8_t d7) {
  return GUID{a, b, c, {d0, d1, d2, d3, d4, d5, d6, d7}};
}

// AsyncStatus [W asyncinfo.h] [M Foundation]: Started=0, Completed=1, Canceled=2, Error=3.
enum : std::int32_t { kAsyncStarted = 0, kAsyncCompleted = 1, kAsyncCanceled = 2, kAsyncError = 3 };
// WebTokenRequestPromptType [M] [W]: Default=0, ForceAuthentication=1.
enum : std::int32_t { kPromptDefault = 0, kPromptForceAuthentication = 1 };

// IAgileObject 94ea2b94-e9cc-49e0-c0ff-ee64ca8f5b90 [W objidlbase.h] [M Win32/System/Com]: a marker.
constexpr GUID kIID_IAgileObject = MakeGuid(0x94ea2b94, 0xe9cc, 0x49e0, 0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90);

// IAsyncInfo 00000036-0000-0000-c000-000000000046 [W asyncinfo.h] [M Foundation]:
// get_Id(6) get_Status(7) get_ErrorCode(8) Cancel(9) Close(10).
constexpr GUID kIID_IAsyncInfo = MakeGuid(0x00000036, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
struct IAsyncInfoAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Id(UINT32* id) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Status(std::int32_t* status) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ErrorCode(HRESULT* code) = 0;
  virtual HRESULT STDMETHODCALLTYPE Cancel() = 0;
  virtual HRESULT STDMETHODCALLTYPE Close() = 0;
};

// IAsyncOperation<T> [M Foundation] [W windows.foundation.collections.h]: put_Completed(6)
// get_Completed(7) GetResults(T*)(8). IAsyncAction 5a648006-843a-4da9-865b-9d26e5dfad7b [M] [W]:
// put_Completed(6) get_Completed(7) GetResults()(8). The T is always an interface pointer here.
struct IAsyncBaseAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE put_Completed(IUnknown* handler) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Completed(IUnknown** handler) = 0;
};
struct IAsyncOperationAbi : IAsyncBaseAbi {
  virtual HRESULT STDMETHODCALLTYPE GetResults(void** result) = 0;
};
struct IAsyncActionAbi : IAsyncBaseAbi {
  virtual HRESULT STDMETHODCALLTYPE GetResults() = 0;
};

// AsyncOperationCompletedHandler<T> / AsyncActionCompletedHandler [M] [W]: IUnknown + Invoke(op, status)(3).
struct ICompletionHandlerAbi : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Invoke(IInspectable* async_info, std::int32_t status) = 0;
};

// AsyncActionCompletedHandler a4ed5c81-76c9-40bd-8be6-b1d90fb20ae7 [M Foundation] [S] (not parameterized).
constexpr GUID kIID_AsyncActionCompletedHandler =
    MakeGuid(0xa4ed5c81, 0x76c9, 0x40bd, 0x8b, 0xe6, 0xb1, 0xd9, 0x0f, 0xb2, 0x0a, 0xe7);
// Parameterized handler IIDs [P] (wam-macos.md A.2 table), and the async result riid of the interop.
constexpr GUID kIID_HandlerWebTokenRequestResult =
    MakeGuid(0xdeb54b22, 0x70f2, 0x55ab, 0x97, 0xc0, 0x6c, 0xbd, 0xc5, 0xdd, 0xb6, 0xf0);
constexpr GUID kIID_HandlerWebAccountProvider =
    MakeGuid(0x9477622b, 0x1340, 0x5574, 0x81, 0xfc, 0x50, 0x13, 0x58, 0x1f, 0x57, 0xc9);
constexpr GUID kIID_HandlerWebAccount =
    MakeGuid(0x4bd6f1e5, 0xca89, 0x5240, 0x8f, 0x3d, 0x7f, 0x1b, 0x54, 0xae, 0x90, 0xa7);
constexpr GUID kIID_HandlerFindAllAccountsResult =
    MakeGuid(0x5de9ba5e, 0x0ade, 0x5344, 0x9f, 0xe4, 0x98, 0x7f, 0x1d, 0x38, 0x7e, 0xf7);
constexpr GUID kIID_AsyncOperationWebTokenRequestResult =
    MakeGuid(0x0a815852, 0x7c44, 0x5674, 0xb3, 0xd2, 0xfa, 0x2e, 0x4c, 0x1e, 0x46, 0xc9);
// IIterable<IKeyValuePair<String,String>> [P]: how a string map is enumerated.
constexpr GUID kIID_IterableStringPair =
    MakeGuid(0xe9bdaaf0, 0xcbf6, 0x5c72, 0xbe, 0x90, 0x29, 0xcb, 0xf3, 0xa1, 0x31, 0x9b);

// IVectorView<T> [M Collections] [W]: GetAt(6) get_Size(7) IndexOf(8) GetMany(9). T an interface.
struct IVectorViewAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE GetAt(UINT32 index, void** item) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) = 0;
};

// IKeyValuePair<String,String> [M] [W]: get_Key(6) get_Value(7).
struct IStringPairAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Key(HSTRING* key) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Value(HSTRING* value) = 0;
};
// IIterator<T> [M] [W]: get_Current(6) get_HasCurrent(7) MoveNext(8) GetMany(9).
struct IStringPairIteratorAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Current(IStringPairAbi** current) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_HasCurrent(boolean* has) = 0;
  virtual HRESULT STDMETHODCALLTYPE MoveNext(boolean* has) = 0;
};
// IIterable<T> [M] [W]: First(6).
struct IStringPairIterableAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE First(IStringPairIteratorAbi** first) = 0;
};
// IMapView<String,String> [M]: Lookup(6) get_Size(7) HasKey(8) Split(9).
struct IStringMapViewAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE Lookup(HSTRING key, HSTRING* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) = 0;
  virtual HRESULT STDMETHODCALLTYPE HasKey(HSTRING key, boolean* found) = 0;
  virtual HRESULT STDMETHODCALLTYPE Split(IStringMapViewAbi** first, IStringMapViewAbi** second) = 0;
};
// IMap<String,String> [M] (metadata; giang17's IDL wrongly says IMapView for the response's map):
// Lookup(6) get_Size(7) HasKey(8) GetView(9) Insert(10) Remove(11) Clear(12).
struct IStringMapAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE Lookup(HSTRING key, HSTRING* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Size(UINT32* size) = 0;
  virtual HRESULT STDMETHODCALLTYPE HasKey(HSTRING key, boolean* found) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetView(IStringMapViewAbi** view) = 0;
  virtual HRESULT STDMETHODCALLTYPE Insert(HSTRING key, HSTRING value, boolean* replaced) = 0;
  virtual HRESULT STDMETHODCALLTYPE Remove(HSTRING key) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clear() = 0;
};

// Windows.Security.Credentials.WebAccountProvider: IWebAccountProvider 29dcc8c3-7ab9-4a7c-a336-b942f9dbf7c7
// [M Credentials] [W]: get_Id(6) get_DisplayName(7) get_IconUri(8).
constexpr GUID kIID_IWebAccountProvider =
    MakeGuid(0x29dcc8c3, 0x7ab9, 0x4a7c, 0xa3, 0x36, 0xb9, 0x42, 0xf9, 0xdb, 0xf7, 0xc7);
struct IWebAccountProviderAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Id(HSTRING* id) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DisplayName(HSTRING* name) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_IconUri(IInspectable** uri) = 0;
};
// IWebAccountProvider2 4a01eb05-4e42-41d4-b518-e008a5163614 [M] [W]: get_DisplayPurpose(6) get_Authority(7).
constexpr GUID kIID_IWebAccountProvider2 =
    MakeGuid(0x4a01eb05, 0x4e42, 0x41d4, 0xb5, 0x18, 0xe0, 0x08, 0xa5, 0x16, 0x36, 0x14);
struct IWebAccountProvider2Abi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_DisplayPurpose(HSTRING* purpose) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Authority(HSTRING* authority) = 0;
};

// WebAccount: IWebAccount 69473eb2-8031-49be-80bb-96cb46d99aba [M] [W]:
// get_WebAccountProvider(6) get_UserName(7) get_State(8).
constexpr GUID kIID_IWebAccount = MakeGuid(0x69473eb2, 0x8031, 0x49be, 0x80, 0xbb, 0x96, 0xcb, 0x46, 0xd9, 0x9a, 0xba);
struct IWebAccountAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_WebAccountProvider(IWebAccountProviderAbi** provider) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_UserName(HSTRING* name) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(std::int32_t* state) = 0;
};
// IWebAccount2 7b56d6f8-990b-4eb5-94a7-5621f3a8b824 [M] [W]: get_Id(6) get_Properties->IMapView(7)
// GetPictureAsync(8) SignOutAsync(9) SignOutWithClientIdAsync(10).
constexpr GUID kIID_IWebAccount2 = MakeGuid(0x7b56d6f8, 0x990b, 0x4eb5, 0x94, 0xa7, 0x56, 0x21, 0xf3, 0xa8, 0xb8, 0x24);
struct IWebAccount2Abi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Id(HSTRING* id) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Properties(IStringMapViewAbi** properties) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetPictureAsync(std::int32_t size, IInspectable** operation) = 0;
  virtual HRESULT STDMETHODCALLTYPE SignOutAsync(IAsyncActionAbi** action) = 0;
  virtual HRESULT STDMETHODCALLTYPE SignOutWithClientIdAsync(HSTRING client_id, IAsyncActionAbi** action) = 0;
};

// IWebProviderError db191bb1-50c5-4809-8dca-09c99410245c [M] [W]: get_ErrorCode(6)
// get_ErrorMessage(7) get_Properties->IMap(8) (metadata; giang17's IDL omits Properties).
struct IWebProviderErrorAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_ErrorCode(UINT32* code) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ErrorMessage(HSTRING* message) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** properties) = 0;
};

// IWebTokenResponse 67a7c5ca-83f6-44c6-a3b1-0eb69e41fa8a [M] [W]: get_Token(6) get_ProviderError(7)
// get_WebAccount(8) get_Properties->IMap(9).
struct IWebTokenResponseAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Token(HSTRING* token) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ProviderError(IWebProviderErrorAbi** error) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_WebAccount(IWebAccountAbi** account) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** properties) = 0;
};

// IWebTokenRequestResult c12a8305-d1f8-4483-8d54-38fe292784ff [M] [W]: get_ResponseData->
// IVectorView<WebTokenResponse>(6) get_ResponseStatus(7) get_ResponseError(8) InvalidateCacheAsync(9).
struct IWebTokenRequestResultAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_ResponseData(IVectorViewAbi** responses) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ResponseStatus(std::int32_t* status) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ResponseError(IWebProviderErrorAbi** error) = 0;
  virtual HRESULT STDMETHODCALLTYPE InvalidateCacheAsync(IAsyncActionAbi** action) = 0;
};

// IFindAllAccountsResult a5812b5d-b72e-420c-86ab-aac0d7b7261f [M] [W]: get_Accounts->
// IVectorView<WebAccount>(6) get_Status(7) get_ProviderError(8).
// FindAllWebAccountsStatus: Success=0, NotAllowedByProvider=1, NotSupportedByProvider=2, ProviderError=3.
struct IFindAllAccountsResultAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_Accounts(IVectorViewAbi** accounts) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Status(std::int32_t* status) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ProviderError(IWebProviderErrorAbi** error) = 0;
};

// IWebTokenRequest b77b4d68-adcb-4673-b364-0cf7b35caf97 [M] [W]: get_WebAccountProvider(6)
// get_Scope(7) get_ClientId(8) get_PromptType(9) get_Properties->IMap(10).
struct IWebTokenRequestAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_WebAccountProvider(IWebAccountProviderAbi** provider) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Scope(HSTRING* scope) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ClientId(HSTRING* client_id) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_PromptType(std::int32_t* prompt) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** properties) = 0;
};
// IWebTokenRequest2 d700c079-30c8-4397-9654-961c3be8b855 [M] [S]: get_AppProperties->IMap(6). Microsoft's
// WAM client (MSALRuntime) puts the signed-HTTP-request (PoP) parameters here, observed under Wine.
constexpr GUID kIID_IWebTokenRequest2 =
    MakeGuid(0xd700c079, 0x30c8, 0x4397, 0x96, 0x54, 0x96, 0x1c, 0x3b, 0xe8, 0xb8, 0x55);
struct IWebTokenRequest2Abi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_AppProperties(IStringMapAbi** properties) = 0;
};
// IWebTokenRequest3 5a755b51-3bb1-41a5-a63d-90bc32c7db9a [M] [W]: get_CorrelationId(6) put_CorrelationId(7).
constexpr GUID kIID_IWebTokenRequest3 =
    MakeGuid(0x5a755b51, 0x3bb1, 0x41a5, 0xa6, 0x3d, 0x90, 0xbc, 0x32, 0xc7, 0xdb, 0x9a);
struct IWebTokenRequest3Abi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE get_CorrelationId(HSTRING* id) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_CorrelationId(HSTRING id) = 0;
};

// IWebTokenRequestFactory 6cf2141c-0ff0-4c67-b84f-99ddbe4a72c9 [M] [W]: Create(6)
// CreateWithPromptType(7) CreateWithProvider(8) CreateWithScope(9).
constexpr GUID kIID_IWebTokenRequestFactory =
    MakeGuid(0x6cf2141c, 0x0ff0, 0x4c67, 0xb8, 0x4f, 0x99, 0xdd, 0xbe, 0x4a, 0x72, 0xc9);
struct IWebTokenRequestFactoryAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE Create(IWebAccountProviderAbi* provider, HSTRING scope, HSTRING client_id,
                                           IWebTokenRequestAbi** request) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateWithPromptType(IWebAccountProviderAbi* provider, HSTRING scope,
                                                         HSTRING client_id, std::int32_t prompt,
                                                         IWebTokenRequestAbi** request) = 0;
};

// IWebAuthenticationCoreManagerStatics 6aca7c92-a581-4479-9c10-752eff44fd34 [M] [W]:
// GetTokenSilentlyAsync(6) GetTokenSilentlyWithWebAccountAsync(7) RequestTokenAsync(8)
// RequestTokenWithWebAccountAsync(9) FindAccountAsync(10) FindAccountProviderAsync(11)
// FindAccountProviderWithAuthorityAsync(12).
constexpr GUID kIID_IWebAuthenticationCoreManagerStatics =
    MakeGuid(0x6aca7c92, 0xa581, 0x4479, 0x9c, 0x10, 0x75, 0x2e, 0xff, 0x44, 0xfd, 0x34);
struct IWebAuthenticationCoreManagerStaticsAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE GetTokenSilentlyAsync(IWebTokenRequestAbi* request, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetTokenSilentlyWithWebAccountAsync(IWebTokenRequestAbi* request,
                                                                        IWebAccountAbi* account,
                                                                        IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE RequestTokenAsync(IWebTokenRequestAbi* request, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE RequestTokenWithWebAccountAsync(IWebTokenRequestAbi* request,
                                                                    IWebAccountAbi* account,
                                                                    IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindAccountAsync(IWebAccountProviderAbi* provider, HSTRING web_account_id,
                                                     IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindAccountProviderAsync(HSTRING provider_id, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindAccountProviderWithAuthorityAsync(HSTRING provider_id, HSTRING authority,
                                                                          IAsyncOperationAbi** op) = 0;
};

// IWebAuthenticationCoreManagerStatics4 54e633fe-96e0-41e8-9832-1298897c2aaf [M] [W]:
// FindAllAccountsAsync(6) FindAllAccountsWithClientIdAsync(7) FindSystemAccountProvider...(8-10).
constexpr GUID kIID_IWebAuthenticationCoreManagerStatics4 =
    MakeGuid(0x54e633fe, 0x96e0, 0x41e8, 0x98, 0x32, 0x12, 0x98, 0x89, 0x7c, 0x2a, 0xaf);
struct IWebAuthenticationCoreManagerStatics4Abi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE FindAllAccountsAsync(IWebAccountProviderAbi* provider, IAsyncOperationAbi** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE FindAllAccountsWithClientIdAsync(IWebAccountProviderAbi* provider,
                                                                     HSTRING client_id, IAsyncOperationAbi** op) = 0;
};

// IWebAuthenticationCoreManagerInterop f4b8e804-811e-4436-b69c-44cb67b72084 [D] [M Win32/System/WinRT]:
// RequestTokenForWindowAsync(6) RequestTokenWithWebAccountForWindowAsync(7). Implemented by the
// WebAuthenticationCoreManager activation factory ([D]; legacy MSAL.NET casts the factory too).
constexpr GUID kIID_IWebAuthenticationCoreManagerInterop =
    MakeGuid(0xf4b8e804, 0x811e, 0x4436, 0xb6, 0x9c, 0x44, 0xcb, 0x67, 0xb7, 0x20, 0x84);
struct IWebAuthenticationCoreManagerInteropAbi : IInspectable {
  virtual HRESULT STDMETHODCALLTYPE RequestTokenForWindowAsync(HWND window, IInspectable* request, REFIID riid,
                                                               void** op) = 0;
  virtual HRESULT STDMETHODCALLTYPE RequestTokenWithWebAccountForWindowAsync(HWND window, IInspectable* request,
                                                                             IInspectable* account, REFIID riid,
                                                                             void** op) = 0;
};

constexpr const wchar_t* kClassCoreManager = L"Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager";
constexpr const wchar_t* kClassWebTokenRequest = L"Windows.Security.Authentication.Web.Core.WebTokenRequest";

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_WINRT_ABI_H_
