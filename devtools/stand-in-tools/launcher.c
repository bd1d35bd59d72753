// STAND-IN launcher: a real Windows console .exe (pwsh.exe, powershell.exe, azd.exe are executables
// on Windows, not batch files), so that the credentials start it as they start the real tool:
// directly, with arguments quoted for the C runtime's parser, no cmd.exe. Named NAME.exe, it runs
//   node.exe "<its folder>\NAME" <its own command line after argv[0], unchanged>
// (node.exe from PATH; NAME the stand-in script beside it), passes its standard handles on and
// exits with the script's exit code. Handing on the command line tail as it came means the script
// parses exactly the quoting the real tool would.
#include <windows.h>

static const wchar_t *after_program_name(const wchar_t *line) {
  if (*line == L'"') {
    for (line++; *line && *line != L'"'; line++) {
    }
    if (*line) line++;
  } else {
    while (*line && *line != L' ' && *line != L'\t') line++;
  }
  return line;
}

static int fail(const char *what) {
  DWORD written;
  char text[160];
  wsprintfA(text, "stand-in launcher: %s (error %lu)\r\n", what, GetLastError());
  WriteFile(GetStdHandle(STD_ERROR_HANDLE), text, lstrlenA(text), &written, NULL);
  return 127;
}

int main(void) {
  wchar_t script[MAX_PATH], node[MAX_PATH];
  DWORD n = GetModuleFileNameW(NULL, script, MAX_PATH);
  if (n == 0 || n >= MAX_PATH || n < 5 || lstrcmpiW(script + n - 4, L".exe") != 0)
    return fail("cannot read its own name");
  script[n - 4] = 0;
  if (SearchPathW(NULL, L"node.exe", NULL, MAX_PATH, node, NULL) == 0) return fail("node.exe is not on PATH");

  const wchar_t *tail = after_program_name(GetCommandLineW());
  size_t size = lstrlenW(node) + lstrlenW(script) + lstrlenW(tail) + 8;
  wchar_t *line = HeapAlloc(GetProcessHeap(), 0, size * sizeof(wchar_t));
  if (!line) return fail("out of memory");
  wsprintfW(line, L"\"%s\" \"%s\"", node, script);
  lstrcatW(line, tail);

  STARTUPINFOW si;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi;
  if (!CreateProcessW(node, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) return fail("cannot start node.exe");
  CloseHandle(pi.hThread);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  return (int)code;
}
