# node-gyp build of the broker addon (prebuildify uses it; it is also the source-build fallback).
# CMakeLists.txt builds the same sources (native/sources.js) with the same flags: keep them in step.
{
  "targets": [
    {
      "target_name": "entra_broker",
      "sources": ["<!@(node native/sources.js <(OS))"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-fvisibility-inlines-hidden"],
      "conditions": [
        ["OS=='linux'", {"libraries": ["-ldl"]}],
        ["OS=='mac'", {
          # One universal binary (x64 + arm64): prebuildify --arch x64+arm64 names the folder and
          # passes only the first arch to node-gyp, so both -arch flags are given here. ARC for the
          # Objective-C++ (scripts/check-macos-syntax.mjs checks with -fobjc-arc too).
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "CLANG_CXX_LIBRARY": "libc++",
            "CLANG_ENABLE_OBJC_ARC": "YES",
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
            "MACOSX_DEPLOYMENT_TARGET": "10.15",
            "OTHER_CFLAGS": ["-arch x86_64", "-arch arm64"],
            "OTHER_LDFLAGS": ["-arch x86_64", "-arch arm64"],
            "WARNING_CFLAGS": ["-Wall", "-Wextra", "-Wno-unused-parameter"]
          },
          "link_settings": {
            "libraries": ["-framework AppKit", "-framework AuthenticationServices", "-framework Foundation"]
          }
        }],
        ["OS=='win'", {
          "defines": ["_HAS_EXCEPTIONS=1", "WIN32_LEAN_AND_MEAN", "UNICODE", "_UNICODE", "_WIN32_WINNT=0x0A00"],
          "libraries": ["runtimeobject.lib", "ole32.lib", "user32.lib"],
          "msvs_settings": {"VCCLCompilerTool": {"ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"]}}
        }]
      ]
    }
  ]
}
