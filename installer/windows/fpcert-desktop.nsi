; Windows installer for fpcert-desktop (NSIS 3, Unicode).
;
; Build it from a PyInstaller onedir folder (the one that contains fpcert-desktop.exe):
;
;   makensis -DPAYLOAD=C:\build\dist\fpcert-desktop -DVERSION=0.1.0 fpcert-desktop.nsi
;
; Defines: PAYLOAD and VERSION (major.minor.patch) are required; OUTFILE (default
; fpcert-desktop-VERSION-setup.exe next to this script) and PUBLISHER are optional.
; makensis resolves relative paths from this script's folder, so pass absolute ones.
;
; The installer is a 32-bit (x86-unicode) program, the target every NSIS 3 installation can
; build; Debian's makensis also builds it as amd64 with -X"Target amd64-unicode". It installs
; only on 64-bit Windows, as administrator. It writes the program to
; $PROGRAMFILES64\fpcert-desktop, the machine-wide settings to
; %ProgramData%\fpcert\config.toml (the file fpcert_desktop/config.py reads) and its own log
; to %ProgramData%\fpcert\setup.log. It never touches the users' data folders, where the
; databases live. docs/install.md lists every command-line parameter and exit code.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef PAYLOAD
  !error "PAYLOAD is not defined: pass -DPAYLOAD=<the PyInstaller onedir folder>."
!endif
!ifndef VERSION
  !error "VERSION is not defined: pass -DVERSION=<major.minor.patch>, e.g. -DVERSION=0.1.0."
!endif
!if ! /FileExists "${PAYLOAD}\fpcert-desktop.exe"
  !error "PAYLOAD=${PAYLOAD} contains no fpcert-desktop.exe: pass the PyInstaller onedir folder."
!endif
!searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
!ifndef VERSION_PATCH
  !error "VERSION=${VERSION} is invalid: expected major.minor.patch, e.g. 0.1.0."
!endif

!define APP_NAME "fpcert-desktop"
!define APP_EXE "fpcert-desktop.exe"
!define DISPLAY_NAME "fpcert-desktop 计划生育证明"
!define SHORTCUT_NAME "计划生育证明"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\fpcert-desktop"
!ifndef PUBLISHER
  !define PUBLISHER "fpcert-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "fpcert-desktop-${VERSION}-setup.exe"
!endif

; Exit codes besides NSIS's own 0 (success), 1 (cancelled) and 2 (aborted).
!define EXIT_INVALID_PARAMETER 3
!define EXIT_UNSUPPORTED_SYSTEM 4
!define EXIT_PROGRAM_RUNNING 5
!define EXIT_WRITE_FAILED 6

; Defaults of the settings, equal to fpcert_desktop.config.Settings.
!define DEFAULT_PKCS11_MODULE ""
!define DEFAULT_PRINTER ""
!define DEFAULT_OFFICE_CODE ""
!define DEFAULT_WORKSTATION_CODE "01"
!define DEFAULT_IDLE_LOCK_MINUTES "10"
!define DEFAULT_LANGUAGE "zh_CN"
!define DEFAULT_DATABASE_PATH ""
!define DEFAULT_SERVER_URL ""
!define DEFAULT_CA_BUNDLE ""

Name "${DISPLAY_NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show
AllowSkipFiles off

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Apache-2.0"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "nsDialogs.nsh"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom SettingsPageCreate SettingsPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback when Windows' display language is neither.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString MSG_NOT_64BIT ${LANG_SIMPCHINESE} "fpcert-desktop 只能安装在 64 位 Windows 上。"
LangString MSG_NOT_64BIT ${LANG_ENGLISH} "fpcert-desktop runs only on 64-bit Windows."
LangString MSG_INVALID ${LANG_SIMPCHINESE} "$R8 的值 $\"$R7$\" 无效，应为：$R6。"
LangString MSG_INVALID ${LANG_ENGLISH} "$R8 has the invalid value $\"$R7$\": expected $R6."
LangString MSG_FIX_PARAMETER ${LANG_SIMPCHINESE} "请改正安装参数后重新运行安装程序。"
LangString MSG_FIX_PARAMETER ${LANG_ENGLISH} " Correct the installer parameter and run the installer again."
LangString MSG_FIX_FIELD ${LANG_SIMPCHINESE} "请改正后再点“下一步”。"
LangString MSG_FIX_FIELD ${LANG_ENGLISH} "Correct it, then press Next."
LangString MSG_UNKNOWN_PARAMETER ${LANG_SIMPCHINESE} "未知的安装参数 $R7。可用的参数：/S /D= /SERVER_URL= /CA_BUNDLE= /PKCS11_MODULE= /PRINTER= /OFFICE_CODE= /WORKSTATION_CODE= /IDLE_LOCK_MINUTES= /LANGUAGE= /DATABASE_PATH=。请改正安装参数后重新运行安装程序。"
LangString MSG_UNKNOWN_PARAMETER ${LANG_ENGLISH} "The installer parameter $R7 is unknown. Known parameters: /S /D= /SERVER_URL= /CA_BUNDLE= /PKCS11_MODULE= /PRINTER= /OFFICE_CODE= /WORKSTATION_CODE= /IDLE_LOCK_MINUTES= /LANGUAGE= /DATABASE_PATH=. Correct the parameters and run the installer again."
LangString MSG_UNQUOTED_SLASH ${LANG_SIMPCHINESE} "安装参数中有一个值含有 / 但没有加双引号（出错处：$R7）。请用双引号把该值括起来，例如 /SERVER_URL=$\"https://fpcert.example.cn$\"，然后重新运行安装程序。"
LangString MSG_UNQUOTED_SLASH ${LANG_ENGLISH} "A value in the installer parameters contains a / but is not in double quotes (at: $R7). Put the value in double quotes, e.g. /SERVER_URL=$\"https://fpcert.example.cn$\", and run the installer again."
LangString MSG_UNCLOSED_QUOTE ${LANG_SIMPCHINESE} "安装参数中的引号 $R7 没有闭合。请把含有空格、/ 或引号的值用一对双引号括起来后重新运行安装程序。"
LangString MSG_UNCLOSED_QUOTE ${LANG_ENGLISH} "The quote $R7 in the installer parameters is not closed. Put each value that contains spaces, / or quotes in a pair of double quotes and run the installer again."
LangString MSG_RUNNING ${LANG_SIMPCHINESE} "fpcert-desktop 正在运行（$INSTDIR\${APP_EXE} 被占用）。请关闭所有 fpcert-desktop 窗口后点“重试”。"
LangString MSG_RUNNING ${LANG_ENGLISH} "fpcert-desktop is running ($INSTDIR\${APP_EXE} is in use). Close every fpcert-desktop window, then press Retry."
LangString MSG_RUNNING_SILENT ${LANG_SIMPCHINESE} "fpcert-desktop 正在运行（$INSTDIR\${APP_EXE} 被占用）。请关闭所有 fpcert-desktop 窗口后重新运行安装程序。"
LangString MSG_RUNNING_SILENT ${LANG_ENGLISH} "fpcert-desktop is running ($INSTDIR\${APP_EXE} is in use). Close every fpcert-desktop window and run the installer again."
LangString MSG_WRITE_FAILED ${LANG_SIMPCHINESE} "无法写入配置文件 $R7。请检查该文件夹的权限后重新运行安装程序。"
LangString MSG_WRITE_FAILED ${LANG_ENGLISH} "The configuration file $R7 could not be written. Check the folder's permissions and run the installer again."
LangString MSG_UNINSTALL_GUARD ${LANG_SIMPCHINESE} "$INSTDIR 不是名为 ${APP_NAME} 且含有 ${APP_EXE} 的文件夹，卸载程序只删除其中的 uninstall.exe。"
LangString MSG_UNINSTALL_GUARD ${LANG_ENGLISH} "$INSTDIR is not a folder named ${APP_NAME} that contains ${APP_EXE}, so the uninstaller deletes only its uninstall.exe."
LangString SETTINGS_TITLE ${LANG_SIMPCHINESE} "本机设置"
LangString SETTINGS_TITLE ${LANG_ENGLISH} "Workstation settings"
LangString SETTINGS_SUBTITLE ${LANG_SIMPCHINESE} "写入 $ConfigFile，以后可用记事本修改。留空的项使用默认值。"
LangString SETTINGS_SUBTITLE ${LANG_ENGLISH} "Written to $ConfigFile, which you can edit later in Notepad. Empty fields use the defaults."
LangString LABEL_SERVER_URL ${LANG_SIMPCHINESE} "中心服务器地址（https://）："
LangString LABEL_SERVER_URL ${LANG_ENGLISH} "Central server URL (https://):"
LangString LABEL_CA_BUNDLE ${LANG_SIMPCHINESE} "服务器 CA 证书文件（PEM）："
LangString LABEL_CA_BUNDLE ${LANG_ENGLISH} "Server CA bundle (PEM):"
LangString LABEL_OFFICE_CODE ${LANG_SIMPCHINESE} "本单位区划代码（6、9 或 12 位）："
LangString LABEL_OFFICE_CODE ${LANG_ENGLISH} "Office division code (6, 9 or 12 digits):"
LangString LABEL_WORKSTATION_CODE ${LANG_SIMPCHINESE} "窗口代码（如 01）："
LangString LABEL_WORKSTATION_CODE ${LANG_ENGLISH} "Counter window code (e.g. 01):"
LangString LABEL_PRINTER ${LANG_SIMPCHINESE} "打印机（留空用默认打印机）："
LangString LABEL_PRINTER ${LANG_ENGLISH} "Printer (empty: the default printer):"
LangString LABEL_PKCS11_MODULE ${LANG_SIMPCHINESE} "电子密钥 PKCS#11 模块："
LangString LABEL_PKCS11_MODULE ${LANG_ENGLISH} "E-key PKCS#11 module:"
LangString SHORTCUT_DESCRIPTION ${LANG_SIMPCHINESE} "计划生育证明办理与打印"
LangString SHORTCUT_DESCRIPTION ${LANG_ENGLISH} "Issue and print family-planning certificates"

LangString EXPECT_URL ${LANG_SIMPCHINESE} "https:// 地址、只指向 127.0.0.1 或 localhost 的 http:// 地址，或空字符串"
LangString EXPECT_URL ${LANG_ENGLISH} "an https:// URL, http:// only to 127.0.0.1 or localhost, or an empty string"
LangString EXPECT_OFFICE ${LANG_SIMPCHINESE} "6、9 或 12 位数字，或空字符串"
LangString EXPECT_OFFICE ${LANG_ENGLISH} "6, 9 or 12 digits, or an empty string"
LangString EXPECT_WORKSTATION ${LANG_SIMPCHINESE} "2 至 4 个数字或大写字母"
LangString EXPECT_WORKSTATION ${LANG_ENGLISH} "2 to 4 characters of digits and capital letters"
LangString EXPECT_MINUTES ${LANG_SIMPCHINESE} "0 至 240 的整数分钟数，不带前导零"
LangString EXPECT_MINUTES ${LANG_ENGLISH} "a whole number of minutes from 0 to 240 without leading zeros"
LangString EXPECT_LANGUAGE ${LANG_SIMPCHINESE} "zh_CN 或 en"
LangString EXPECT_LANGUAGE ${LANG_ENGLISH} "zh_CN or en"
LangString EXPECT_ABSOLUTE ${LANG_SIMPCHINESE} "绝对路径（如 D:\fpcert\fpcert.sqlite3，且不在安装目录内），或空字符串"
LangString EXPECT_ABSOLUTE ${LANG_ENGLISH} "an absolute path (e.g. D:\fpcert\fpcert.sqlite3, outside the install folder) or an empty string"
LangString EXPECT_INSTDIR ${LANG_SIMPCHINESE} "以 \${APP_NAME} 结尾的文件夹"
LangString EXPECT_INSTDIR ${LANG_ENGLISH} "a folder whose name is ${APP_NAME}"

Var ProgramDataDir
Var ConfigDir
Var ConfigFile
Var ConfigGiven
Var OutputHandle
Var ValidationMode
Var ValueInvalid
Var CfgPkcs11Module
Var CfgPrinter
Var CfgOfficeCode
Var CfgWorkstationCode
Var CfgIdleLockMinutes
Var CfgLanguage
Var CfgDatabasePath
Var CfgServerUrl
Var CfgCaBundle
Var FieldServerUrl
Var FieldCaBundle
Var FieldOfficeCode
Var FieldWorkstationCode
Var FieldPrinter
Var FieldPkcs11Module

; ---------------------------------------------------------------------------------------
; Text output: the settings file and the log are UTF-8 without a byte-order mark, which is
; what Python's tomllib reads. FileWrite would convert to the ANSI code page instead.

; Write the string on top of the stack to the file handle in $OutputHandle as UTF-8.
Function WriteUtf8
  Exch $0
  Push $1
  Push $2
  Push $3
  System::Call "kernel32::WideCharToMultiByte(i 65001, i 0, w r0, i -1, p 0, i 0, p 0, p 0) i .r1"
  ${If} $1 > 1
    System::Alloc $1
    Pop $2
    System::Call "kernel32::WideCharToMultiByte(i 65001, i 0, w r0, i -1, p r2, i r1, p 0, p 0) i .r1"
    IntOp $1 $1 - 1 ; without the terminating NUL
    System::Call "kernel32::WriteFile(p $OutputHandle, p r2, i r1, *i .r3, p 0) i .r3"
    System::Free $2
  ${EndIf}
  Pop $3
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

!macro WriteUtf8 TEXT
  Push "${TEXT}"
  Call WriteUtf8
!macroend

; Append a time-stamped line to %ProgramData%\fpcert\setup.log and show it in the details.
Function Log
  Exch $0
  Push $1
  Push $2
  Push $3
  Push $4
  Push $5
  Push $6
  Push $7
  DetailPrint "$0"
  CreateDirectory "$ConfigDir"
  ClearErrors
  FileOpen $OutputHandle "$ConfigDir\setup.log" a
  ${IfNot} ${Errors}
    FileSeek $OutputHandle 0 END
    ${GetTime} "" "L" $1 $2 $3 $4 $5 $6 $7
    !insertmacro WriteUtf8 "$3-$2-$1 $5:$6:$7 ${APP_NAME} ${VERSION} setup: $0$\r$\n"
    FileClose $OutputHandle
  ${EndIf}
  Pop $7
  Pop $6
  Pop $5
  Pop $4
  Pop $3
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

!macro Log TEXT
  Push "${TEXT}"
  Call Log
!macroend

; Log the message, show it unless silent, and quit with the exit code.
!macro Fail EXIT_CODE MESSAGE
  !insertmacro Log "${MESSAGE}"
  MessageBox MB_OK|MB_ICONSTOP "${MESSAGE}" /SD IDOK
  SetErrorLevel ${EXIT_CODE}
  Quit
!macroend

; ---------------------------------------------------------------------------------------
; Parameter checks. Each one mirrors the check of the same key in fpcert_desktop/config.py,
; so a value the installer accepts passes that check when the program starts. The program
; also requires database_path's folder to exist, which the installer does not create.

; Push 1 when every character of STRING is in SET (case-sensitive), else 0.
Function IsAllOf
  Exch $1 ; set
  Exch
  Exch $0 ; string
  Push $2
  Push $3
  Push $4
  StrCpy $2 0
  ${Do}
    StrCpy $3 $0 1 $2
    ${If} $3 == ""
      StrCpy $0 1
      ${Break}
    ${EndIf}
    StrCpy $4 0
    ${Do}
      StrCpy $R0 $1 1 $4
      ${If} $R0 == ""
        ${Break}
      ${EndIf}
      ${If} $R0 S== $3
        ${Break}
      ${EndIf}
      IntOp $4 $4 + 1
    ${Loop}
    ${If} $R0 == ""
      StrCpy $0 0
      ${Break}
    ${EndIf}
    IntOp $2 $2 + 1
  ${Loop}
  Pop $4
  Pop $3
  Pop $2
  ; The stack holds the caller's $0 above its $1.
  Exch
  Pop $1
  Exch $0
FunctionEnd

!define DIGITS "0123456789"
!define CODE_CHARACTERS "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

!macro IsAllOf RESULT STRING SET
  Push $R0
  Push "${STRING}"
  Push "${SET}"
  Call IsAllOf
  Pop ${RESULT}
  Pop $R0
!macroend

; Reject an invalid setting, naming it, its value and what is expected. On the settings
; page the message is shown and $ValueInvalid set, so the page stays open; everywhere else
; the installer quits with EXIT_INVALID_PARAMETER.
Function RejectValue
  ${If} $ValidationMode == "page"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(MSG_INVALID)$\r$\n$(MSG_FIX_FIELD)"
    StrCpy $ValueInvalid 1
  ${Else}
    !insertmacro Fail ${EXIT_INVALID_PARAMETER} "$(MSG_INVALID)$(MSG_FIX_PARAMETER)"
  ${EndIf}
FunctionEnd

!macro RejectParameter NAME VALUE EXPECTED
  StrCpy $R8 "${NAME}"
  StrCpy $R7 "${VALUE}"
  StrCpy $R6 "${EXPECTED}"
  Call RejectValue
!macroend

Function CheckOfficeCode
  StrLen $0 $CfgOfficeCode
  !insertmacro IsAllOf $1 $CfgOfficeCode "${DIGITS}"
  ${If} $1 == 1
    ${If} $0 == 0
    ${OrIf} $0 == 6
    ${OrIf} $0 == 9
    ${OrIf} $0 == 12
      Return
    ${EndIf}
  ${EndIf}
  !insertmacro RejectParameter "office_code (/OFFICE_CODE=)" $CfgOfficeCode "$(EXPECT_OFFICE)"
FunctionEnd

Function CheckWorkstationCode
  StrLen $0 $CfgWorkstationCode
  !insertmacro IsAllOf $1 $CfgWorkstationCode "${CODE_CHARACTERS}"
  ${If} $1 != 1
  ${OrIf} $0 < 2
  ${OrIf} $0 > 4
    !insertmacro RejectParameter "workstation_code (/WORKSTATION_CODE=)" $CfgWorkstationCode "$(EXPECT_WORKSTATION)"
  ${EndIf}
FunctionEnd

Function CheckIdleLockMinutes
  StrLen $0 $CfgIdleLockMinutes
  StrCpy $2 $CfgIdleLockMinutes 1
  !insertmacro IsAllOf $1 $CfgIdleLockMinutes "${DIGITS}"
  ; TOML forbids leading zeros and IntOp would read them as octal, so "010" is rejected.
  ${If} $1 == 1
  ${AndIf} $0 >= 1
  ${AndIf} $0 <= 3
    ${If} $0 == 1
    ${OrIf} $2 != "0"
      ${If} $CfgIdleLockMinutes <= 240
        Return
      ${EndIf}
    ${EndIf}
  ${EndIf}
  !insertmacro RejectParameter "idle_lock_minutes (/IDLE_LOCK_MINUTES=)" $CfgIdleLockMinutes "$(EXPECT_MINUTES)"
FunctionEnd

Function CheckLanguage
  ${IfNot} $CfgLanguage S== "zh_CN"
  ${AndIfNot} $CfgLanguage S== "en"
    !insertmacro RejectParameter "language (/LANGUAGE=)" $CfgLanguage "$(EXPECT_LANGUAGE)"
  ${EndIf}
FunctionEnd

; Push 1 when STRING contains a space or a tab, else 0.
Function ContainsWhitespace
  Exch $0
  Push $1
  Push $2
  StrCpy $1 0
  ${Do}
    StrCpy $2 $0 1 $1
    ${If} $2 == ""
      StrCpy $0 0
      ${Break}
    ${ElseIf} $2 == " "
    ${OrIf} $2 == "$\t"
      StrCpy $0 1
      ${Break}
    ${EndIf}
    IntOp $1 $1 + 1
  ${Loop}
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; Accept "", https://<no whitespace>, or http://127.0.0.1|localhost[:port][/path].
Function CheckServerUrl
  StrCpy $0 $CfgServerUrl
  ${If} $0 == ""
    Return
  ${EndIf}
  Push $0
  Call ContainsWhitespace
  Pop $1
  ${If} $1 == 1
    Goto reject
  ${EndIf}

  StrCpy $1 $0 8
  StrCpy $2 $0 "" 8
  ${If} $1 S== "https://"
  ${AndIf} $2 != ""
    Return
  ${EndIf}

  StrCpy $1 $0 16
  StrCpy $2 $0 "" 16
  ${IfNot} $1 S== "http://127.0.0.1"
  ${AndIfNot} $1 S== "http://localhost"
    Goto reject
  ${EndIf}
  ; $2 is what follows the host: nothing, /path, :port or :port/path.
  StrCpy $3 $2 1
  ${If} $3 == ""
  ${OrIf} $3 == "/"
    Return
  ${EndIf}
  ${If} $3 != ":"
    Goto reject
  ${EndIf}
  StrCpy $4 1
  ${Do}
    StrCpy $3 $2 1 $4
    ${If} $3 == ""
    ${OrIf} $3 == "/"
      ${Break}
    ${EndIf}
    !insertmacro IsAllOf $5 $3 "${DIGITS}"
    ${If} $5 != 1
      Goto reject
    ${EndIf}
    IntOp $4 $4 + 1
  ${Loop}
  ${If} $4 > 1
    Return
  ${EndIf}

  reject:
  !insertmacro RejectParameter "server_url (/SERVER_URL=)" $CfgServerUrl "$(EXPECT_URL)"
FunctionEnd

; Accept "" or an absolute path (X:\..., X:/... or \\server\share\...) outside $INSTDIR,
; which the uninstaller deletes.
Function CheckDatabasePath
  StrCpy $0 $CfgDatabasePath
  ${If} $0 == ""
    Return
  ${EndIf}
  StrCpy $1 $0 1
  StrCpy $2 $0 2 1
  StrCpy $3 $0 2
  !insertmacro IsAllOf $4 $1 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
  StrCpy $7 0
  ${If} $4 == 1
    ${If} $2 == ":\"
    ${OrIf} $2 == ":/"
      StrCpy $7 1
    ${EndIf}
  ${EndIf}
  ${If} $3 == "\\"
    StrCpy $7 1
  ${EndIf}
  ${If} $7 == 1
    StrLen $5 "$INSTDIR\"
    StrCpy $6 $0 $5
    ${If} $6 != "$INSTDIR\"
      Return
    ${EndIf}
  ${EndIf}
  !insertmacro RejectParameter "database_path (/DATABASE_PATH=)" $CfgDatabasePath "$(EXPECT_ABSOLUTE)"
FunctionEnd

; The uninstaller deletes $INSTDIR with everything in it, so it must be our own folder.
Function CheckInstallDir
  StrLen $0 "\${APP_NAME}"
  IntOp $0 0 - $0
  StrCpy $1 $INSTDIR "" $0
  ${If} $1 != "\${APP_NAME}"
    !insertmacro RejectParameter "/D=" $INSTDIR "$(EXPECT_INSTDIR)"
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  StrLen $0 "\${APP_NAME}"
  IntOp $0 0 - $0
  StrCpy $1 $INSTDIR "" $0
  ${If} $1 != "\${APP_NAME}"
    Abort
  ${EndIf}
FunctionEnd

; Push 1 when NEEDLE occurs in HAYSTACK (case-insensitive), else 0.
Function Contains
  Exch $1 ; needle
  Exch
  Exch $0 ; haystack
  Push $2
  Push $3
  Push $4
  StrLen $2 $1
  StrCpy $3 0
  ${Do}
    StrCpy $4 $0 $2 $3
    ${If} $4 == ""
      StrCpy $0 0
      ${Break}
    ${ElseIf} $4 == $1
      StrCpy $0 1
      ${Break}
    ${EndIf}
    IntOp $3 $3 + 1
  ${Loop}
  Pop $4
  Pop $3
  Pop $2
  ; The stack holds the caller's $0 above its $1.
  Exch
  Pop $1
  Exch $0
FunctionEnd

!define KNOWN_PARAMETERS "|S|NCRC|PKCS11_MODULE=|PRINTER=|OFFICE_CODE=|WORKSTATION_CODE=|IDLE_LOCK_MINUTES=|LANGUAGE=|DATABASE_PATH=|SERVER_URL=|CA_BUNDLE=|"

; Check the command line in $R9 the way GetOptions reads it, and quit with
; EXIT_INVALID_PARAMETER where GetOptions would silently read something else: an unknown
; parameter (a typo would leave that setting at its default), a slash inside an unquoted
; value (GetOptions ends the value there, so https://... becomes "https:"), or an
; unclosed quote (GetOptions then skips every later parameter). Like GetOptions, it treats
; ", ' and ` as quotes. NSIS removes /D= from the command line before this runs.
Function CheckParameterSyntax
  StrCpy $0 0   ; index into $R9
  StrCpy $1 ""  ; the open quote character, or "" outside quotes
  StrCpy $2 " " ; the previous character
  ${Do}
    StrCpy $3 $R9 1 $0
    ${If} $3 == ""
      ${Break}
    ${EndIf}
    ; LogicLib cannot compare with a backtick, so plain StrCmp sets $7 for quote marks.
    StrCpy $7 0
    StrCmp $3 '"' 0 +2
    StrCpy $7 1
    StrCmp $3 "'" 0 +2
    StrCpy $7 1
    StrCmp $3 "`" 0 +2
    StrCpy $7 1
    ${If} $1 != ""
      ${If} $3 S== $1
        StrCpy $1 ""
      ${EndIf}
    ${ElseIf} $7 == 1
      StrCpy $1 $3
    ${ElseIf} $3 == "/"
      ${If} $2 != " "
        StrCpy $R7 $R9 "" $0
        !insertmacro Fail ${EXIT_INVALID_PARAMETER} "$(MSG_UNQUOTED_SLASH)"
      ${EndIf}
      ; The parameter name runs to its "=" (included) or to the next space.
      IntOp $4 $0 + 1
      StrCpy $5 ""
      ${Do}
        StrCpy $6 $R9 1 $4
        ${If} $6 == ""
        ${OrIf} $6 == " "
          ${Break}
        ${EndIf}
        StrCpy $5 "$5$6"
        ${If} $6 == "="
          ${Break}
        ${EndIf}
        IntOp $4 $4 + 1
      ${Loop}
      Push "${KNOWN_PARAMETERS}"
      Push "|$5|"
      Call Contains
      Pop $6
      ${If} $6 != 1
        StrCpy $R7 "/$5"
        !insertmacro Fail ${EXIT_INVALID_PARAMETER} "$(MSG_UNKNOWN_PARAMETER)"
      ${EndIf}
    ${EndIf}
    StrCpy $2 $3
    IntOp $0 $0 + 1
  ${Loop}
  ${If} $1 != ""
    StrCpy $R7 $1
    !insertmacro Fail ${EXIT_INVALID_PARAMETER} "$(MSG_UNCLOSED_QUOTE)"
  ${EndIf}
FunctionEnd

; Log a warning for a file parameter that names no existing file. The value is kept,
; because the driver or the bundle may be installed after fpcert-desktop.
!macro WarnMissingFile NAME VALUE
  ${If} "${VALUE}" != ""
  ${AndIfNot} ${FileExists} "${VALUE}"
    !insertmacro Log "warning: ${NAME}${VALUE} names no existing file; install it, then check with fpcert-desktop-cli.exe doctor"
  ${EndIf}
!macroend

; Set VAR to the value of OPTION on the command line, or to DEFAULT when it is absent.
!macro ReadOption PARAMETERS OPTION VAR DEFAULT
  ClearErrors
  ${GetOptions} "${PARAMETERS}" "${OPTION}" ${VAR}
  ${If} ${Errors}
    StrCpy ${VAR} "${DEFAULT}"
  ${Else}
    StrCpy $ConfigGiven 1
  ${EndIf}
  ClearErrors
!macroend

; ---------------------------------------------------------------------------------------
; Settings file.

; Push STRING with backslashes and double quotes escaped for a TOML basic string.
Function TomlEscape
  Exch $0
  Push $1
  Push $2
  Push $3
  StrCpy $1 ""
  StrCpy $2 0
  ${Do}
    StrCpy $3 $0 1 $2
    ${If} $3 == ""
      ${Break}
    ${ElseIf} $3 == "\"
      StrCpy $1 "$1\\"
    ${ElseIf} $3 == '"'
      StrCpy $1 '$1\"'
    ${Else}
      StrCpy $1 "$1$3"
    ${EndIf}
    IntOp $2 $2 + 1
  ${Loop}
  StrCpy $0 $1
  Pop $3
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; Write one option as config.py's render_settings does: a blank line, its description as
; a comment and "key = value". Strings are quoted and escaped; integers are bare. Lines
; end in CRLF, as Python's text mode writes them on Windows.
!macro WriteStringOption KEY DESCRIPTION VALUE
  Push "${VALUE}"
  Call TomlEscape
  Pop $0
  !insertmacro WriteUtf8 "$\r$\n# ${DESCRIPTION}$\r$\n${KEY} = $\"$0$\"$\r$\n"
!macroend

!macro WriteIntegerOption KEY DESCRIPTION VALUE
  !insertmacro WriteUtf8 "$\r$\n# ${DESCRIPTION}$\r$\n${KEY} = ${VALUE}$\r$\n"
!macroend

; Write config.toml when there is none or when any setting parameter was given; an
; existing file is first copied to config.toml.<date>-<time>.bak.
Function WriteConfig
  ${If} ${FileExists} "$ConfigFile"
    ${If} $ConfigGiven != 1
      !insertmacro Log "kept the existing $ConfigFile (no setting parameters were given)"
      Return
    ${EndIf}
    ${GetTime} "" "L" $1 $2 $3 $4 $5 $6 $7
    StrCpy $8 "$ConfigFile.$3$2$1-$5$6$7.bak"
    ClearErrors
    CopyFiles /SILENT "$ConfigFile" "$8"
    ${If} ${Errors}
      StrCpy $R7 "$8"
      !insertmacro Fail ${EXIT_WRITE_FAILED} "$(MSG_WRITE_FAILED)"
    ${EndIf}
    !insertmacro Log "copied the existing $ConfigFile to $8"
  ${EndIf}

  CreateDirectory "$ConfigDir"
  ClearErrors
  FileOpen $OutputHandle "$ConfigFile.new" w
  ${If} ${Errors}
    StrCpy $R7 "$ConfigFile.new"
    !insertmacro Fail ${EXIT_WRITE_FAILED} "$(MSG_WRITE_FAILED)"
  ${EndIf}
  !insertmacro WriteUtf8 "# fpcert-desktop machine-wide settings$\r$\n"
  !insertmacro WriteStringOption "pkcs11_module" "Path of the e-key vendor's PKCS#11 module; empty searches the usual module names." $CfgPkcs11Module
  !insertmacro WriteStringOption "printer" "Printer queue for certificates; empty uses the system's default printer." $CfgPrinter
  !insertmacro WriteStringOption "office_code" "Division code of the office this workstation belongs to; empty accepts any user's office." $CfgOfficeCode
  !insertmacro WriteStringOption "workstation_code" "Code of this counter window within its office, printed in certificate numbers." $CfgWorkstationCode
  !insertmacro WriteIntegerOption "idle_lock_minutes" "Minutes without keyboard or mouse input before the window locks; 0 never locks." $CfgIdleLockMinutes
  !insertmacro WriteStringOption "language" "Language of the screens: zh_CN (Simplified Chinese) or en (English)." $CfgLanguage
  !insertmacro WriteStringOption "database_path" "Absolute path of the local SQLite database; empty uses the user's data folder." $CfgDatabasePath
  !insertmacro WriteStringOption "server_url" "Base URL of the central server; empty works offline." $CfgServerUrl
  !insertmacro WriteStringOption "ca_bundle" "CA bundle (PEM) that verifies the central server's TLS certificate." $CfgCaBundle
  FileClose $OutputHandle

  ClearErrors
  Delete "$ConfigFile"
  Rename "$ConfigFile.new" "$ConfigFile"
  ${If} ${Errors}
    StrCpy $R7 "$ConfigFile"
    !insertmacro Fail ${EXIT_WRITE_FAILED} "$(MSG_WRITE_FAILED)"
  ${EndIf}
  !insertmacro Log "wrote $ConfigFile"
FunctionEnd

; ---------------------------------------------------------------------------------------
; Installer.

Function .onInit
  SetShellVarContext all
  ReadEnvStr $ProgramDataDir PROGRAMDATA
  ${If} $ProgramDataDir == ""
    StrCpy $ProgramDataDir "C:\ProgramData"
  ${EndIf}
  StrCpy $ConfigDir "$ProgramDataDir\fpcert"
  StrCpy $ConfigFile "$ConfigDir\config.toml"

  ${IfNot} ${RunningX64}
    !insertmacro Fail ${EXIT_UNSUPPORTED_SYSTEM} "$(MSG_NOT_64BIT)"
  ${EndIf}
  SetRegView 64

  ; An upgrade goes to the folder of the installed version unless /D= names another.
  ${If} $INSTDIR == "$PROGRAMFILES64\${APP_NAME}"
    ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
    ${If} $0 != ""
      StrCpy $INSTDIR $0
    ${EndIf}
  ${EndIf}

  ${GetParameters} $R9
  Call CheckParameterSyntax
  StrCpy $ConfigGiven 0
  !insertmacro ReadOption $R9 "/PKCS11_MODULE=" $CfgPkcs11Module "${DEFAULT_PKCS11_MODULE}"
  !insertmacro ReadOption $R9 "/PRINTER=" $CfgPrinter "${DEFAULT_PRINTER}"
  !insertmacro ReadOption $R9 "/OFFICE_CODE=" $CfgOfficeCode "${DEFAULT_OFFICE_CODE}"
  !insertmacro ReadOption $R9 "/WORKSTATION_CODE=" $CfgWorkstationCode "${DEFAULT_WORKSTATION_CODE}"
  !insertmacro ReadOption $R9 "/IDLE_LOCK_MINUTES=" $CfgIdleLockMinutes "${DEFAULT_IDLE_LOCK_MINUTES}"
  !insertmacro ReadOption $R9 "/LANGUAGE=" $CfgLanguage "${DEFAULT_LANGUAGE}"
  !insertmacro ReadOption $R9 "/DATABASE_PATH=" $CfgDatabasePath "${DEFAULT_DATABASE_PATH}"
  !insertmacro ReadOption $R9 "/SERVER_URL=" $CfgServerUrl "${DEFAULT_SERVER_URL}"
  !insertmacro ReadOption $R9 "/CA_BUNDLE=" $CfgCaBundle "${DEFAULT_CA_BUNDLE}"

  ; The installer's own pages and messages follow /LANGUAGE= when it is given.
  ClearErrors
  ${GetOptions} $R9 "/LANGUAGE=" $0
  ${IfNot} ${Errors}
    ${If} $CfgLanguage S== "en"
      StrCpy $LANGUAGE ${LANG_ENGLISH}
    ${ElseIf} $CfgLanguage S== "zh_CN"
      StrCpy $LANGUAGE ${LANG_SIMPCHINESE}
    ${EndIf}
  ${EndIf}
  ClearErrors

  Call CheckOfficeCode
  Call CheckWorkstationCode
  Call CheckIdleLockMinutes
  Call CheckLanguage
  Call CheckServerUrl
FunctionEnd

; ---------------------------------------------------------------------------------------
; Settings page of the interactive install. It is skipped when config.toml exists and no
; setting parameter was given, because then the existing file is kept.

!macro SettingsRow ROW LABEL VALUE FIELD
  ${NSD_CreateLabel} 0 ${ROW}u 45% 12u "${LABEL}"
  Pop $0
  ${NSD_CreateText} 46% ${ROW}u 54% 12u "${VALUE}"
  Pop ${FIELD}
!macroend

Function SettingsPageCreate
  ${If} ${FileExists} "$ConfigFile"
  ${AndIf} $ConfigGiven != 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "$(SETTINGS_TITLE)" "$(SETTINGS_SUBTITLE)"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  !insertmacro SettingsRow 0 "$(LABEL_SERVER_URL)" $CfgServerUrl $FieldServerUrl
  !insertmacro SettingsRow 18 "$(LABEL_CA_BUNDLE)" $CfgCaBundle $FieldCaBundle
  !insertmacro SettingsRow 36 "$(LABEL_OFFICE_CODE)" $CfgOfficeCode $FieldOfficeCode
  !insertmacro SettingsRow 54 "$(LABEL_WORKSTATION_CODE)" $CfgWorkstationCode $FieldWorkstationCode
  !insertmacro SettingsRow 72 "$(LABEL_PRINTER)" $CfgPrinter $FieldPrinter
  !insertmacro SettingsRow 90 "$(LABEL_PKCS11_MODULE)" $CfgPkcs11Module $FieldPkcs11Module
  nsDialogs::Show
FunctionEnd

Function SettingsPageLeave
  ${NSD_GetText} $FieldServerUrl $CfgServerUrl
  ${NSD_GetText} $FieldCaBundle $CfgCaBundle
  ${NSD_GetText} $FieldOfficeCode $CfgOfficeCode
  ${NSD_GetText} $FieldWorkstationCode $CfgWorkstationCode
  ${NSD_GetText} $FieldPrinter $CfgPrinter
  ${NSD_GetText} $FieldPkcs11Module $CfgPkcs11Module
  ${If} $CfgWorkstationCode == ""
    StrCpy $CfgWorkstationCode "${DEFAULT_WORKSTATION_CODE}"
  ${EndIf}
  StrCpy $ConfigGiven 1

  StrCpy $ValidationMode "page"
  StrCpy $ValueInvalid 0
  Call CheckServerUrl
  ${If} $ValueInvalid != 1
    Call CheckOfficeCode
  ${EndIf}
  ${If} $ValueInvalid != 1
    Call CheckWorkstationCode
  ${EndIf}
  StrCpy $ValidationMode ""
  ${If} $ValueInvalid == 1
    Abort
  ${EndIf}
FunctionEnd

; Wait until no running fpcert-desktop holds the program file: a running .exe cannot be
; opened for writing. Silent installs quit with EXIT_PROGRAM_RUNNING instead of waiting.
Function CheckNotRunning
  ${IfNot} ${FileExists} "$INSTDIR\${APP_EXE}"
    Return
  ${EndIf}
  retry:
  ClearErrors
  FileOpen $0 "$INSTDIR\${APP_EXE}" a
  ${IfNot} ${Errors}
    FileClose $0
    Return
  ${EndIf}
  ${If} ${Silent}
    !insertmacro Log "$(MSG_RUNNING_SILENT)"
  ${Else}
    !insertmacro Log "$(MSG_RUNNING)"
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(MSG_RUNNING)" IDRETRY retry
  ${EndIf}
  SetErrorLevel ${EXIT_PROGRAM_RUNNING}
  Quit
FunctionEnd

Section "fpcert-desktop" SectionProgram
  SectionIn RO
  Call CheckInstallDir
  Call CheckDatabasePath
  !insertmacro WarnMissingFile "/PKCS11_MODULE=" $CfgPkcs11Module
  !insertmacro WarnMissingFile "/CA_BUNDLE=" $CfgCaBundle
  Call CheckNotRunning
  !insertmacro Log "installing into $INSTDIR"

  ; PyInstaller's bundle changes between versions, so an upgrade replaces it whole
  ; instead of leaving stale libraries beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${SHORTCUT_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" \
    "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "$(SHORTCUT_DESCRIPTION)"
  CreateShortcut "$DESKTOP\${SHORTCUT_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" \
    "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "$(SHORTCUT_DESCRIPTION)"

  Call WriteConfig

  ; GetSize (FileFunc.nsh, NSIS 3.08) reads a leftover $7 as its /G= option when /G= is
  ; not given, and $7 = 0 would skip _internal, so /G=1 is passed explicitly.
  ${GetSize} "$INSTDIR" "/S=0K /G=1" $0 $1 $2
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${DISPLAY_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "VersionMajor" ${VERSION_MAJOR}
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "VersionMinor" ${VERSION_MINOR}
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  !insertmacro Log "installed ${APP_NAME} ${VERSION} ($0 KB)"
SectionEnd

; ---------------------------------------------------------------------------------------
; Uninstaller. It removes the program folder, the shortcuts and the Add/Remove Programs
; entry. It keeps %ProgramData%\fpcert (settings, setup log) and every user's database.

Function un.onInit
  SetShellVarContext all
  SetRegView 64
FunctionEnd

Section "Uninstall"
  StrLen $0 "\${APP_NAME}"
  IntOp $0 0 - $0
  StrCpy $1 $INSTDIR "" $0
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
  ${AndIf} $1 == "\${APP_NAME}"
    RMDir /r "$INSTDIR"
  ${Else}
    DetailPrint "$(MSG_UNINSTALL_GUARD)"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
  ${EndIf}
  Delete "$SMPROGRAMS\${SHORTCUT_NAME}.lnk"
  Delete "$DESKTOP\${SHORTCUT_NAME}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
