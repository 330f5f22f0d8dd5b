<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArchiveCard</name>
    <message>
        <source>ID number {masked} has no record in the provincial system. For a Shenzhen hukou, the population archive card (人口档案卡) is made at the community workstation of the hukou address. Give the applicant the slip, and print the certificate once the record is in the provincial system.</source>
        <translation>公民身份号码为{masked}的人员未在省系统中登记。深圳市户籍人员应到户籍地社区工作站建立人口档案卡。请将建档指引交给申请人，待其信息在省系统中登记录入后再打印计划生育证明。</translation>
    </message>
    <message>
        <source>ID number {masked} has no record in the provincial system. For a hukou outside Guangdong, the population archive card (人口档案卡) is made at the community workstation of the current residence. Give the applicant the slip, and print the certificate once the record is in the provincial system.</source>
        <translation>公民身份号码为{masked}的人员未在省系统中登记。非广东省户籍人员应到现居住地社区工作站建立人口档案卡。请将建档指引交给申请人，待其信息在省系统中登记录入后再打印计划生育证明。</translation>
    </message>
    <message>
        <source>ID number {masked} has no record in the provincial system. For a Guangdong hukou outside Shenzhen, the population archive card (人口档案卡) is made as the Guangdong provincial rules provide, and the city&apos;s work specification names no place. Ask the street office where those rules have it made, tell the applicant and give them the slip. Print the certificate once the record is in the provincial system.</source>
        <translation>公民身份号码为{masked}的人员未在省系统中登记。广东省内非深圳户籍人员按广东省有关规定建立人口档案卡，本市工作规范未规定办理地点。请向街道计生办了解按省规定应在何处办理，告知申请人，并将建档指引交给申请人。待其信息在省系统中登记录入后再打印计划生育证明。</translation>
    </message>
    <message>
        <source>ID number {masked} has no record in the provincial system. For someone moving into Shenzhen who does not live in the city yet, the community of the intended hukou address makes a current-residence population archive card (人口档案卡). Give the applicant the slip, and print the certificate once the record is in the provincial system.</source>
        <translation>公民身份号码为{masked}的人员未在省系统中登记。未在本市居住的市外调入人员，应在拟入户地社区建立现居住地人口档案卡。请将建档指引交给申请人，待其信息在省系统中登记录入后再打印计划生育证明。</translation>
    </message>
    <message>
        <source>{guidance} The hukou category comes from region code {region_code}, where the ID number was issued. If the applicant&apos;s hukou is elsewhere today, choose the hukou category and look again.</source>
        <translation>{guidance}以上户籍类别是按公民身份号码中的地址码{region_code}（赋码时的户籍所在地）判定的。如申请人现在的户籍已不在该地，请选择户籍类别后重新查看。</translation>
    </message>
</context>
<context>
    <name>ArchiveCategory</name>
    <message>
        <source>Shenzhen hukou</source>
        <translation>深圳市户籍</translation>
    </message>
    <message>
        <source>Guangdong hukou outside Shenzhen</source>
        <translation>广东省内非深圳户籍</translation>
    </message>
    <message>
        <source>hukou outside Guangdong</source>
        <translation>非广东省户籍</translation>
    </message>
    <message>
        <source>moving into Shenzhen, not living in the city yet</source>
        <translation>未在本市居住的市外调入人员</translation>
    </message>
</context>
<context>
    <name>Auth</name>
    <message>
        <source>This e-key&apos;s certificate (fingerprint {fingerprint}) is not registered to any user of this system. Ask your administrator to report the key on the user change form.</source>
        <translation>此电子密钥的数字证书（指纹{fingerprint}）未登记在本系统任何用户名下。请联系管理员通过《用户变更表》上报此电子密钥。</translation>
    </message>
    <message>
        <source>The account of {name} is disabled. Ask your administrator whether the account should be enabled again.</source>
        <translation>{name}的账号已停用。请向管理员确认是否应重新启用该账号。</translation>
    </message>
    <message>
        <source>{name} belongs to office {user_office}, but this workstation is set up for office {workstation_office}. Log in at a workstation of your own office or ask IT to check the office_code setting.</source>
        <translation>{name}所属单位的代码为{user_office}，但本机设置的单位代码为{workstation_office}。请在本单位的电脑上登录，或请技术人员检查设置项office_code。</translation>
    </message>
    <message>
        <source>Office {office} of {name} is not in the local database. Synchronise the reference data or ask IT.</source>
        <translation>本地数据库中没有{name}所属的单位（代码{office}）。请同步基础数据，或联系技术人员。</translation>
    </message>
    <message>
        <source>This is not the e-key that opened the session. Insert the key of {name} to unlock, or log out to change the clerk.</source>
        <translation>这不是本次登录使用的电子密钥。请插入{name}的电子密钥解锁，或退出登录后更换打证员。</translation>
    </message>
</context>
<context>
    <name>ChangeType</name>
    <message>
        <source>replace key</source>
        <translation>更换密钥</translation>
    </message>
    <message>
        <source>staff left and replaced</source>
        <translation>离职换人</translation>
    </message>
    <message>
        <source>new key</source>
        <translation>新增密钥</translation>
    </message>
    <message>
        <source>new window</source>
        <translation>新增窗口</translation>
    </message>
</context>
<context>
    <name>CheckOwner</name>
    <message>
        <source>applicant</source>
        <translation>申请人本人</translation>
    </message>
    <message>
        <source>spouse</source>
        <translation>配偶</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Wrote {people} synthetic people ({demo_people} of them demo people), {children} children, {pregnancies} pregnancies and {offices} offices to {path} in {seconds} seconds (seed {seed}).</source>
        <translation>已向{path}写入{people}名合成人员（其中演示人员{demo_people}名）、子女{children}名、怀孕记录{pregnancies}条和单位{offices}个，用时{seconds}秒（随机种子{seed}）。</translation>
    </message>
    <message>
        <source>The folder {folder} of the database file {path} does not exist. Create it or choose another --db path.</source>
        <translation>数据库文件{path}所在的文件夹{folder}不存在。请先建立该文件夹，或为 --db 另选路径。</translation>
    </message>
    <message>
        <source>The database {path} already contains people. Generate into a new file instead.</source>
        <translation>数据库{path}中已有人员数据。请改为生成到一个新文件。</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>The setting {key} in {path} has the invalid value {value}: {expected}. Correct the file and start the program again.</source>
        <translation>配置文件{path}中设置项{key}的值{value}无效，应为：{expected}。请改正配置文件后重新启动程序。</translation>
    </message>
    <message>
        <source>The setting {key} in {path} has the value {value}, which is not text. Write the value in double quotes, for example {key} = {example}, and start the program again.</source>
        <translation>配置文件{path}中设置项{key}的值{value}不是文本。请把值写在英文双引号中，例如 {key} = {example}，然后重新启动程序。</translation>
    </message>
    <message>
        <source>The setting {key} in {path} has the value {value}, which is not a whole number. Write the number without quotes, for example {key} = {example}, and start the program again.</source>
        <translation>配置文件{path}中设置项{key}的值{value}不是整数。请写不带引号的整数，例如 {key} = {example}，然后重新启动程序。</translation>
    </message>
    <message>
        <source>The setting {key} in {path} is unknown. Known settings: {known}. Remove or correct it and start the program again.</source>
        <translation>配置文件{path}中的设置项{key}无法识别。可用的设置项：{known}。请删除或改正该设置项后重新启动程序。</translation>
    </message>
    <message>
        <source>The configuration file {path} does not exist. Check the --config option or the FPCERT_CONFIG variable, or create the file.</source>
        <translation>配置文件{path}不存在。请检查 --config 选项或 FPCERT_CONFIG 环境变量，或创建该文件。</translation>
    </message>
    <message>
        <source>The configuration file {path} could not be read: {error}. Correct the file and start the program again.</source>
        <translation>无法读取配置文件{path}：{error}。请改正配置文件后重新启动程序。</translation>
    </message>
    <message>
        <source>a file path or an empty string</source>
        <translation>文件路径或空字符串</translation>
    </message>
    <message>
        <source>a printer queue name or an empty string</source>
        <translation>打印机队列名称或空字符串</translation>
    </message>
    <message>
        <source>6, 9 or 12 digits, or an empty string</source>
        <translation>6位、9位或12位数字，或空字符串</translation>
    </message>
    <message>
        <source>2 to 4 characters of digits and capital letters</source>
        <translation>2至4位数字或大写字母</translation>
    </message>
    <message>
        <source>a whole number of minutes from 0 to 240</source>
        <translation>0至240之间的整数（分钟）</translation>
    </message>
    <message>
        <source>zh_CN or en</source>
        <translation>zh_CN 或 en</translation>
    </message>
    <message>
        <source>an absolute file path or an empty string</source>
        <translation>绝对文件路径或空字符串</translation>
    </message>
    <message>
        <source>an https:// URL, http:// only to 127.0.0.1, or an empty string</source>
        <translation>https:// 地址（仅 127.0.0.1 可用 http://），或空字符串</translation>
    </message>
</context>
<context>
    <name>CounterApp</name>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>诊断(&amp;D)…</translation>
    </message>
    <message>
        <source>The e-key was removed, so the window is locked.</source>
        <translation>电子密钥已拔出，窗口已锁定。</translation>
    </message>
    <message>
        <source>The window locked after {minutes} minutes without input.</source>
        <translation>已{minutes}分钟无操作，窗口已锁定。</translation>
    </message>
    <message>
        <source>The window is locked.</source>
        <translation>窗口已锁定。</translation>
    </message>
</context>
<context>
    <name>CounterInputPanel</name>
    <message>
        <source>The applicant signed each stamped copy</source>
        <translation>申请人已在每份盖章的复印件上签名</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
</context>
<context>
    <name>DailyReportPage</name>
    <message>
        <source>Daily print summary</source>
        <translation>每日打证统计</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Office:</source>
        <translation>单位(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>导出 PDF(&amp;E)…</translation>
    </message>
    <message>
        <source>Export E&amp;xcel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>Retention report</source>
        <translation>档案材料保管期限报告</translation>
    </message>
    <message>
        <source>Certificate materials that may be disposed of by</source>
        <translation>截至以下日期可销毁的打证档案材料：</translation>
    </message>
    <message>
        <source>and where the problem-list materials are kept.</source>
        <translation>以及问题名单材料的存放位置。</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>The database file {path} is damaged or is not a database of this program. Run fpcert-desktop doctor. Then restore the newest backup {name}.*.bak in the same folder if there is one, or move the file aside and synchronise again to create a new database.</source>
        <translation>数据库文件{path}已损坏，或不是本程序的数据库。请运行 fpcert-desktop doctor 检查。然后用同一文件夹中最新的备份 {name}.*.bak 恢复（如有）；或将该文件移到别处，再重新同步，以建立新的数据库。</translation>
    </message>
    <message>
        <source>The file {path} is an SQLite database without this program&apos;s tables and schema version, so it is not a database of this program. The program left it unchanged. Check the database_path setting, or move the file aside and start the program again to create a new database.</source>
        <translation>文件{path}是SQLite数据库，但没有本程序的数据表和结构版本，因此不是本程序的数据库。本程序未改动该文件。请检查设置项database_path，或将该文件移到别处后重新启动程序，以建立新的数据库。</translation>
    </message>
    <message>
        <source>The database {path} has the schema version {revision}, which this version of the program does not know: a newer version of the program or another program wrote it. Install the newest version of the program, or check the database_path setting.</source>
        <translation>数据库{path}的结构版本为{revision}，本版本程序无法识别：该数据库由更新版本的本程序或其他程序写入。请安装最新版本的程序，或检查设置项database_path。</translation>
    </message>
    <message>
        <source>The database file {path} could not be opened or written. Check that its folder exists, that the disk is not full, and that this user account may read and write the file and its folder, then try again. Run fpcert-desktop doctor for details.</source>
        <translation>无法打开或写入数据库文件{path}。请确认其所在文件夹存在、磁盘未满，且当前用户账户有权读写该文件及其文件夹，然后重试。运行 fpcert-desktop doctor 可查看详情。</translation>
    </message>
    <message>
        <source>There is no database at {path} yet. Start the program once (fpcert-desktop run) or synchronise to create it, then try again.</source>
        <translation>{path}处尚无数据库。请先启动一次程序（fpcert-desktop run）或进行同步以建立数据库，然后重试。</translation>
    </message>
    <message>
        <source>The database {path} has the older schema version {revision}. Start the program once (fpcert-desktop run) so that it upgrades the database, then try again.</source>
        <translation>数据库{path}的结构版本{revision}较旧。请先启动一次程序（fpcert-desktop run），由程序升级数据库，然后重试。</translation>
    </message>
</context>
<context>
    <name>Doctor</name>
    <message>
        <source>Support bundle written to {path}.</source>
        <translation>支持包已保存到{path}。</translation>
    </message>
    <message>
        <source>The support bundle could not be written to {path}: {error}. Choose a folder you may write to, for example your home folder, and run the command again.</source>
        <translation>无法将支持包写入{path}：{error}。请选择有写入权限的文件夹（例如个人主文件夹），然后重新运行该命令。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>The configuration file {path} was read and is valid.</source>
        <translation>已读取配置文件{path}，设置有效。</translation>
    </message>
    <message>
        <source>There is no configuration file at {path}, so the program uses the default settings. Create the file if this workstation needs a printer, a server or an e-key driver other than the defaults.</source>
        <translation>{path}处没有配置文件，程序使用默认设置。如果本工作站需要非默认的打印机、服务器或电子密钥驱动，请创建该文件。</translation>
    </message>
    <message>
        <source>The other checks below used the default settings instead.</source>
        <translation>下面的其他检查改用了默认设置。</translation>
    </message>
    <message>
        <source>The PKCS#11 module {path} named by the pkcs11_module setting does not exist. Install the e-key driver, or correct pkcs11_module, or leave it empty to search the usual driver files.</source>
        <translation>pkcs11_module设置指定的PKCS#11模块{path}不存在。请安装电子密钥驱动，或改正pkcs11_module，或将其留空以搜索常见的驱动文件。</translation>
    </message>
    <message>
        <source>The PKCS#11 module {path} named by the pkcs11_module setting does not load: {reason}. Install the e-key driver again, or set pkcs11_module to the driver&apos;s PKCS#11 module.</source>
        <translation>pkcs11_module设置指定的PKCS#11模块{path}无法加载：{reason}。请重新安装电子密钥驱动，或将pkcs11_module设为驱动的PKCS#11模块。</translation>
    </message>
    <message>
        <source>No PKCS#11 module that loads was found: {count} usual driver files were tried ({rejected}). Install the e-key driver, or set pkcs11_module to the path of the driver&apos;s PKCS#11 module.</source>
        <translation>未找到可加载的PKCS#11模块：已尝试{count}个常见驱动文件（{rejected}）。请安装电子密钥驱动，或将pkcs11_module设为驱动的PKCS#11模块路径。</translation>
    </message>
    <message>
        <source>none of them is present</source>
        <translation>均不存在</translation>
    </message>
    <message>
        <source>The PKCS#11 module {path} loads. E-keys present: {keys}.</source>
        <translation>PKCS#11模块{path}可以加载。已插入的电子密钥：{keys}。</translation>
    </message>
    <message>
        <source>The PKCS#11 module {path} loads, but no e-key is inserted. Insert an e-key and run the check again.</source>
        <translation>PKCS#11模块{path}可以加载，但未插入电子密钥。请插入电子密钥后重新检查。</translation>
    </message>
    <message>
        <source>The PKCS#11 module {path} was found, but listing the e-keys failed: {error}</source>
        <translation>已找到PKCS#11模块{path}，但列出电子密钥失败：{error}</translation>
    </message>
    <message>
        <source>The printer {queue} exists, is {state} and accepts jobs.</source>
        <translation>打印机{queue}存在，状态为{state}，接受打印任务。</translation>
    </message>
    <message>
        <source>No printer is configured and the system has no default printer. Set the printer setting in the configuration file, or make a printer the system default.</source>
        <translation>未设置打印机，系统也没有默认打印机。请在配置文件中设置printer，或将一台打印机设为系统默认打印机。</translation>
    </message>
    <message>
        <source>The printer {queue} does not exist. Printers set up on this computer: {queues}. Set the printer setting to one of them, or set the printer up in CUPS.</source>
        <translation>打印机{queue}不存在。本机已设置的打印机：{queues}。请将printer设置为其中之一，或在CUPS中设置该打印机。</translation>
    </message>
    <message>
        <source>The printer {queue} is paused (disabled): {reason}. Check the printer, then run &apos;cupsenable {queue}&apos;.</source>
        <translation>打印机{queue}已暂停（禁用）：{reason}。请检查打印机，然后运行“cupsenable {queue}”。</translation>
    </message>
    <message>
        <source>The printer {queue} does not accept jobs: {reason}. Run &apos;cupsaccept {queue}&apos;.</source>
        <translation>打印机{queue}不接受打印任务：{reason}。请运行“cupsaccept {queue}”。</translation>
    </message>
    <message>
        <source>The print service (CUPS) cannot be reached: {error}. Start it, for example with &apos;systemctl start cups&apos;.</source>
        <translation>无法连接打印服务（CUPS）：{error}。请启动该服务，例如运行“systemctl start cups”。</translation>
    </message>
    <message>
        <source>The lp command was not found, so nothing can be printed. Install CUPS (Debian package cups-client).</source>
        <translation>未找到lp命令，无法打印。请安装CUPS（Debian软件包cups-client）。</translation>
    </message>
    <message>
        <source>The printer {queue} was not checked: this check needs CUPS, which this system does not use. Print a test page to check the printer.</source>
        <translation>未检查打印机{queue}：此项检查需要CUPS，而本系统不使用CUPS。请打印测试页来检查打印机。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>The test page was printed on {printer} as job {job_id}. Check that the text on it is complete and that the frame and the ruler have the sizes printed on the page.</source>
        <translation>测试页已在{printer}上打印，任务号{job_id}。请检查页上文字是否完整，外框和直线的尺寸是否与页上所写一致。</translation>
    </message>
    <message>
        <source>On this system the test page can only be printed from the diagnostics window of the program (Help, Diagnostics, or the Diagnostics button of the login window).</source>
        <translation>在本系统上只能从程序的诊断窗口打印测试页（“帮助 ▸ 诊断”，或登录窗口的“诊断”按钮）。</translation>
    </message>
    <message>
        <source>No server is configured (server_url is empty), so this workstation works offline. Set server_url to synchronise with the central server.</source>
        <translation>未设置服务器（server_url为空），本工作站离线工作。如需与中心服务器同步，请设置server_url。</translation>
    </message>
    <message>
        <source>The server settings are invalid: {error}</source>
        <translation>服务器设置无效：{error}</translation>
    </message>
    <message>
        <source>The CA bundle {path} named by the ca_bundle setting does not exist. Copy the server&apos;s CA certificate (PEM) there, or correct ca_bundle.</source>
        <translation>ca_bundle设置指定的CA证书文件{path}不存在。请将服务器的CA证书（PEM格式）复制到该位置，或改正ca_bundle。</translation>
    </message>
    <message>
        <source>The TLS certificate of {url} could not be verified with {ca}: {error}. Check that ca_bundle contains the CA that issued the server&apos;s certificate and that server_url uses the name in that certificate.</source>
        <translation>无法用{ca}验证{url}的TLS证书：{error}。请检查ca_bundle是否包含签发服务器证书的CA，以及server_url中的名称是否与证书一致。</translation>
    </message>
    <message>
        <source>the CA certificates bundled with the program (certifi)</source>
        <translation>程序自带的CA证书（certifi）</translation>
    </message>
    <message>
        <source>The server {url} cannot be reached: {error}. Check the network cable, the proxy and the firewall, and that server_url is right.</source>
        <translation>无法连接服务器{url}：{error}。请检查网线、代理和防火墙，以及server_url是否正确。</translation>
    </message>
    <message>
        <source>The server {url} did not answer within {seconds} seconds. Check the network and try again later.</source>
        <translation>服务器{url}在{seconds}秒内没有响应。请检查网络，稍后再试。</translation>
    </message>
    <message>
        <source>The server {url} answers, but with the error HTTP {status}. Tell the server&apos;s administrator.</source>
        <translation>服务器{url}有响应，但返回错误HTTP {status}。请告知服务器管理员。</translation>
    </message>
    <message>
        <source>The server {url} answers{tls}. The clock of this computer differs from the server&apos;s by {offset} seconds.</source>
        <translation>服务器{url}有响应{tls}。本机时钟与服务器相差{offset}秒。</translation>
    </message>
    <message>
        <source> over a verified TLS connection</source>
        <translation>（经过验证的TLS连接）</translation>
    </message>
    <message>
        <source> without TLS (only allowed on 127.0.0.1)</source>
        <translation>（未使用TLS，仅允许用于127.0.0.1）</translation>
    </message>
    <message>
        <source>The server {url} answers{tls}, but sends no valid Date header, so the clock of this computer could not be compared with it.</source>
        <translation>服务器{url}有响应{tls}，但没有发送有效的Date头，无法比较本机时钟。</translation>
    </message>
    <message>
        <source>The server {url} answers{tls}, but the clock of this computer is {offset} seconds {direction} the server&apos;s. Set the date and time, or turn on time synchronisation (NTP), because certificates and the audit record carry this computer&apos;s time.</source>
        <translation>服务器{url}有响应{tls}，但本机时钟比服务器{direction}{offset}秒。请设置日期和时间，或开启时间同步（NTP），因为证明和审计记录使用本机时间。</translation>
    </message>
    <message>
        <source>ahead of</source>
        <translation>快</translation>
    </message>
    <message>
        <source>behind</source>
        <translation>慢</translation>
    </message>
    <message>
        <source>The folder {folder} of the database {path} does not exist. Correct the database_path setting or create the folder.</source>
        <translation>数据库{path}所在的文件夹{folder}不存在。请改正database_path设置或创建该文件夹。</translation>
    </message>
    <message>
        <source>The database {path} does not exist yet. The program creates it at its first start; then synchronise with the server or load the data.</source>
        <translation>数据库{path}尚不存在。程序首次启动时会创建它，之后请与服务器同步或导入数据。</translation>
    </message>
    <message>
        <source>The database {path} cannot be read: {error}. Restore the file from the last backup, or move it aside and synchronise again.</source>
        <translation>无法读取数据库{path}：{error}。请从最近的备份恢复该文件，或将其移走后重新同步。</translation>
    </message>
    <message>
        <source>The database {path} is damaged (integrity check: {problems}). Do not issue certificates on this workstation: restore the file from the last backup, or move it aside and synchronise again.</source>
        <translation>数据库{path}已损坏（完整性检查：{problems}）。请勿在本工作站出具证明：请从最近的备份恢复该文件，或将其移走后重新同步。</translation>
    </message>
    <message>
        <source>The file {path} is an SQLite database without the program&apos;s tables (no schema version). Check the database_path setting.</source>
        <translation>文件{path}是SQLite数据库，但没有本程序的数据表（无结构版本）。请检查database_path设置。</translation>
    </message>
    <message>
        <source>The database {path} is intact but has the schema version {current}, older than this program&apos;s {head}. At its next start the program copies it to a backup file beside it and then upgrades it.</source>
        <translation>数据库{path}完好，但结构版本为{current}，低于本程序的{head}。程序下次启动时会先在同一文件夹中备份该文件，再自动升级。</translation>
    </message>
    <message>
        <source>The database {path} has the schema version {current}, which this program does not know (its newest is {head}). A newer program version wrote it: install that version again.</source>
        <translation>数据库{path}的结构版本为{current}，本程序不认识该版本（最新为{head}）。它由更新版本的程序写入，请重新安装该版本。</translation>
    </message>
    <message>
        <source>The database {path} is intact and has the current schema version {head}.</source>
        <translation>数据库{path}完好，结构版本为当前的{head}。</translation>
    </message>
    <message>
        <source>The certificate fonts ({families}) lack {characters}, so names with these characters cannot be printed. Install the HanaMinB font (Debian package fonts-hanazono), or copy it into the folder named by FPCERT_FONT_DIR.</source>
        <translation>证明字体（{families}）缺少{characters}，含这些字的姓名无法打印。请安装花园明朝B字体（Debian软件包fonts-hanazono），或将其复制到FPCERT_FONT_DIR指定的文件夹。</translation>
    </message>
    <message>
        <source>The certificate fonts cover every test character, but no Song/Ming font was found, so certificates print with {family}. Install AR PL UMing (Debian package fonts-arphic-uming) or, on Windows, SimSun.</source>
        <translation>证明字体包含所有测试字符，但未找到宋体/明体字体，证明将用{family}打印。请安装AR PL UMing（Debian软件包fonts-arphic-uming），Windows上请安装宋体（SimSun）。</translation>
    </message>
    <message>
        <source>The certificate fonts ({families}) cover every test character, including {extension}.</source>
        <translation>证明字体（{families}）包含所有测试字符，包括{extension}。</translation>
    </message>
    <message>
        <source>Only {free} MB are free in {folder}, but the database needs at least {needed} MB. Free disk space, or move the database with the database_path setting.</source>
        <translation>{folder}中只有{free} MB可用空间，而数据库至少需要{needed} MB。请释放磁盘空间，或用database_path设置将数据库移到别处。</translation>
    </message>
    <message>
        <source>{free} MB are free in {folder}. That is enough for now, but a full synchronisation may need about 1 GB more. Free disk space soon.</source>
        <translation>{folder}中有{free} MB可用空间。目前够用，但一次完整同步可能还需约1 GB。请尽快释放磁盘空间。</translation>
    </message>
    <message>
        <source>{free} MB are free in {folder}.</source>
        <translation>{folder}中有{free} MB可用空间。</translation>
    </message>
    <message>
        <source>The workstation secret is kept in the system keyring ({backend}).</source>
        <translation>工作站密钥保存在系统密钥环中（{backend}）。</translation>
    </message>
    <message>
        <source>No system keyring is available, so the workstation secret is kept in the file {path}, readable by this account only. Keep the file out of backups that others can read, or start a keyring (for example gnome-keyring) in the desktop session.</source>
        <translation>没有可用的系统密钥环，工作站密钥保存在文件{path}中，仅本账户可读。请勿将该文件放入他人可读的备份，或在桌面会话中启动密钥环（例如gnome-keyring）。</translation>
    </message>
    <message>
        <source>The check did not finish within {seconds} seconds and was abandoned. Check the part it tests, then run the doctor again.</source>
        <translation>此项检查在{seconds}秒内未完成，已放弃。请检查相关部件后重新运行诊断。</translation>
    </message>
    <message>
        <source>The check failed unexpectedly: {error}. Send the support bundle to IT support.</source>
        <translation>此项检查意外失败：{error}。请将支持包发送给技术人员。</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置文件</translation>
    </message>
    <message>
        <source>E-key</source>
        <translation>电子密钥</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Fonts</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>磁盘空间</translation>
    </message>
    <message>
        <source>Keyring</source>
        <translation>密钥环</translation>
    </message>
    <message>
        <source>Test page</source>
        <translation>测试页</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first}{second}</translation>
    </message>
    <message>
        <source>The support bundle name {path} must end in .zip, for example fpcert-support.zip.</source>
        <translation>支持包文件名{path}必须以 .zip 结尾，例如 fpcert-support.zip。</translation>
    </message>
    <message>
        <source>{path} is a folder. Give a file name ending in .zip for the support bundle.</source>
        <translation>{path}是一个文件夹。请为支持包指定以 .zip 结尾的文件名。</translation>
    </message>
    <message>
        <source>The folder {folder} for the support bundle does not exist. Create it or choose another folder.</source>
        <translation>支持包所在的文件夹{folder}不存在。请先创建该文件夹，或选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>DoctorController</name>
    <message>
        <source>Checking… Each check gives up after its time limit.</source>
        <translation>正在检查……每项检查超过时限后会放弃。</translation>
    </message>
    <message>
        <source>Printing the test page…</source>
        <translation>正在打印测试页……</translation>
    </message>
    <message>
        <source>Save support bundle</source>
        <translation>保存支持包</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip文件 (*.zip)</translation>
    </message>
    <message>
        <source>{failures} checks failed and {warnings} gave warnings.</source>
        <translation>{failures}项检查失败，{warnings}项有警告。</translation>
    </message>
    <message>
        <source>No check failed; {warnings} gave warnings.</source>
        <translation>没有检查失败；{warnings}项有警告。</translation>
    </message>
    <message>
        <source>Every check passed.</source>
        <translation>所有检查均通过。</translation>
    </message>
    <message>
        <source>Support bundle saved as {path}.</source>
        <translation>支持包已保存为{path}。</translation>
    </message>
    <message>
        <source>The support bundle could not be saved to {path}: {error}. Choose another folder.</source>
        <translation>无法将支持包保存到{path}：{error}。请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>DoctorDialog</name>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>重新检查(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Print test page</source>
        <translation>打印测试页(&amp;P)</translation>
    </message>
    <message>
        <source>Print a Chinese A4 test page on the certificate printer</source>
        <translation>在证明打印机上打印一张中文A4测试页</translation>
    </message>
    <message>
        <source>&amp;Save support bundle…</source>
        <translation>保存支持包(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the logs (ID numbers masked), the settings, this report and the versions in a zip file for IT support</source>
        <translation>将日志（身份证号已遮盖）、设置、本报告和版本信息保存为zip文件，供技术人员使用</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>EKey</name>
    <message>
        <source>The PKCS#11 module at {path} could not be loaded ({reason}). Check the pkcs11_module setting or install the e-key driver.</source>
        <translation>无法加载PKCS#11模块{path}（{reason}）。请检查设置项pkcs11_module，或安装电子密钥驱动程序。</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>the file is a library but not a PKCS#11 module: it has no C_GetFunctionList</source>
        <translation>该文件是动态库，但不是PKCS#11模块：其中没有C_GetFunctionList</translation>
    </message>
    <message>
        <source>the file is not a library this computer can load</source>
        <translation>该文件不是本机能够加载的动态库</translation>
    </message>
    <message>
        <source>No PKCS#11 module for the e-key was found. Searched: {candidates}. Install the e-key driver or set pkcs11_module to the path of the driver&apos;s PKCS#11 module.</source>
        <translation>未找到电子密钥的PKCS#11模块。已查找：{candidates}。请安装电子密钥驱动程序，或将设置项pkcs11_module设为驱动程序中PKCS#11模块的路径。</translation>
    </message>
    <message>
        <source>No e-key was found. Insert your e-key into a USB port and try again.</source>
        <translation>未找到电子密钥。请将电子密钥插入USB接口后重试。</translation>
    </message>
    <message>
        <source>The e-key with serial number {serial} was not found. Insert that e-key, or choose another one.</source>
        <translation>未找到序列号为{serial}的电子密钥。请插入该电子密钥，或选择其他电子密钥。</translation>
    </message>
    <message>
        <source>The PIN is incorrect. Enter the PIN again.</source>
        <translation>PIN码错误。请重新输入PIN码。</translation>
    </message>
    <message>
        <source>The PIN is incorrect, and few tries are left before the e-key locks. Check the PIN carefully before you enter it again.</source>
        <translation>PIN码错误，剩余尝试次数已不多，用完后电子密钥将被锁定。请仔细核对PIN码后再输入。</translation>
    </message>
    <message>
        <source>The PIN is incorrect, and only one try is left. A further wrong PIN locks the e-key. If you are not sure of the PIN, ask your administrator to reset it.</source>
        <translation>PIN码错误，只剩一次尝试机会，再输错一次电子密钥将被锁定。如不确定PIN码，请联系管理员重置。</translation>
    </message>
    <message>
        <source>The e-key PIN is locked after too many wrong tries. Ask your administrator to unlock the e-key.</source>
        <translation>PIN码输错次数过多，电子密钥已锁定。请联系管理员解锁电子密钥。</translation>
    </message>
    <message>
        <source>The e-key PIN has expired. Change the PIN with the e-key&apos;s management tool, then log in again.</source>
        <translation>电子密钥的PIN码已过期。请用电子密钥管理工具修改PIN码，然后重新登录。</translation>
    </message>
    <message>
        <source>The PIN is too short or too long for this e-key. Check the PIN and enter it again.</source>
        <translation>PIN码长度不符合此电子密钥的要求。请核对PIN码后重新输入。</translation>
    </message>
    <message>
        <source>The e-key {serial} holds no certificate that matches one of its private keys. Ask your administrator to issue a certificate onto this e-key.</source>
        <translation>电子密钥{serial}中没有与其私钥匹配的数字证书。请联系管理员为此电子密钥签发数字证书。</translation>
    </message>
    <message>
        <source>The certificate on the e-key is not valid before {not_before}. Check the date and time of this computer, or wait until then.</source>
        <translation>电子密钥中的数字证书自{not_before}起才生效。请检查本机的日期和时间，或到时再登录。</translation>
    </message>
    <message>
        <source>The certificate on the e-key expired on {not_after}. Ask your administrator to renew the certificate.</source>
        <translation>电子密钥中的数字证书已于{not_after}过期。请联系管理员更新数字证书。</translation>
    </message>
    <message>
        <source>The e-key&apos;s signature does not verify against its certificate, so the key and the certificate do not belong together. Ask your administrator to check the e-key.</source>
        <translation>电子密钥的签名未能通过其数字证书的验证，说明密钥与数字证书不匹配。请联系管理员检查电子密钥。</translation>
    </message>
    <message>
        <source>The e-key {serial} was removed. Insert it again and log in.</source>
        <translation>电子密钥{serial}已拔出。请重新插入并登录。</translation>
    </message>
    <message>
        <source>No e-key is logged in. Log in with your e-key first.</source>
        <translation>尚未用电子密钥登录。请先用电子密钥登录。</translation>
    </message>
    <message>
        <source>The e-key reported an error ({error}). Remove the e-key, insert it again and retry. If the error repeats, contact IT support.</source>
        <translation>电子密钥报告错误（{error}）。请拔出电子密钥，重新插入后重试。如仍出错，请联系技术人员。</translation>
    </message>
</context>
<context>
    <name>Eligibility</name>
    <message>
        <source>exactly {min}</source>
        <translation>{min}个</translation>
    </message>
    <message>
        <source>{min} or more</source>
        <translation>{min}个及以上</translation>
    </message>
    <message>
        <source>{min} to {max}</source>
        <translation>{min}至{max}个</translation>
    </message>
    <message>
        <source>The {office_level} issues the {purpose} certificate, whatever the number of children.</source>
        <translation>“{purpose}”计划生育证明由{office_level}出具，不限子女数。</translation>
    </message>
    <message>
        <source>The {office_level} issues the {purpose} certificate when the applicant&apos;s number of children, a current pregnancy included, is {children}. This applicant has {count}.</source>
        <translation>申请人子女数（含现孕）为{children}时，“{purpose}”计划生育证明由{office_level}出具。该申请人为{count}个。</translation>
    </message>
    <message>
        <source>The {office_level} issues the {purpose} certificate when the applicant&apos;s number of born children is {children}. This applicant has {count}.</source>
        <translation>申请人已生育子女数为{children}时，“{purpose}”计划生育证明由{office_level}出具。该申请人为{count}个。</translation>
    </message>
    <message>
        <source>Only the {required_level} issues the {purpose} certificate, so this {office_level} may not issue it. Send the applicant to the {required_level}.</source>
        <translation>“{purpose}”计划生育证明只能由{required_level}出具，本{office_level}不能出具。请申请人到{required_level}办理。</translation>
    </message>
    <message>
        <source>The {required_level} issues the {purpose} certificate when the applicant&apos;s number of children, a current pregnancy included, is {children}. This applicant has {count}, so this {office_level} may not issue it. Send the applicant to the {required_level}.</source>
        <translation>申请人子女数（含现孕）为{children}时，“{purpose}”计划生育证明由{required_level}出具。该申请人为{count}个，本{office_level}不能出具。请申请人到{required_level}办理。</translation>
    </message>
    <message>
        <source>The {required_level} issues the {purpose} certificate when the applicant&apos;s number of born children is {children}. This applicant has {count}, so this {office_level} may not issue it. Send the applicant to the {required_level}.</source>
        <translation>申请人已生育子女数为{children}时，“{purpose}”计划生育证明由{required_level}出具。该申请人为{count}个，本{office_level}不能出具。请申请人到{required_level}办理。</translation>
    </message>
    <message>
        <source>No office issues the {purpose} certificate for an applicant whose number of children, a current pregnancy included, is {count}. It is issued only when that number is {children}. If the children or the pregnancy on record are wrong, ask the community workstation to correct the provincial system, then query again.</source>
        <translation>申请人子女数（含现孕）为{count}个，任何单位都不能出具“{purpose}”计划生育证明；子女数为{children}时才能出具。如登记的子女或怀孕信息有误，请联系社区工作站在省系统中更正，然后重新查询。</translation>
    </message>
    <message>
        <source>No office issues the {purpose} certificate for an applicant whose number of born children is {count}. It is issued only when that number is {children}. If the children on record are wrong, ask the community workstation to correct the provincial system, then query again.</source>
        <translation>申请人已生育子女数为{count}个，任何单位都不能出具“{purpose}”计划生育证明；已生育子女数为{children}时才能出具。如登记的子女信息有误，请联系社区工作站在省系统中更正，然后重新查询。</translation>
    </message>
    <message>
        <source>The {purpose} certificate needs a current pregnancy registered in the provincial system, and none is on record. Ask the community workstation to register the pregnancy, then query again.</source>
        <translation>出具“{purpose}”计划生育证明，须在省系统中登记有现孕信息，但目前没有登记。请联系社区工作站在省系统中登记怀孕信息，然后重新查询。</translation>
    </message>
    <message>
        <source>Policy {version} takes effect on {effective_date}, after today ({today}), so no certificate may be issued under it. Ask IT to install the policy in force today.</source>
        <translation>{version}版政策自{effective_date}起生效，晚于今天（{today}），因此不能按该政策出具计划生育证明。请联系技术人员安装当前有效的政策。</translation>
    </message>
    <message>
        <source>The purpose {purpose} is not in policy {version}. Choose the purpose again from the list. If it is missing there, ask IT to check the policy file.</source>
        <translation>{version}版政策中没有证明用途“{purpose}”。请从列表中重新选择证明用途；如列表中没有，请联系技术人员检查政策文件。</translation>
    </message>
    <message>
        <source>The applicant was entered on the problem list for false certificates or materials on {listed_on}. Under the {years}-year block from that date, no certificate for any purpose may be issued through {last_blocked_day}. The applicant may apply again from {first_issue_day}. If the entry is wrong, ask the administrator of the problem list to remove it, then query again.</source>
        <translation>申请人因提供虚假证明材料，于{listed_on}列入问题名单。自列入之日起{years}年内（至{last_blocked_day}止）不予出具任何用途的计划生育证明，申请人可自{first_issue_day}起重新申请。如该记录有误，请联系问题名单管理员将其移出，然后重新查询。</translation>
    </message>
    <message>
        <source>The applicant has {count} false-materials entries that block today. The entry of {listed_on} blocks longest, so it decides.</source>
        <translation>申请人目前有{count}条提供虚假证明材料的问题名单记录仍在限制期内，以限制期最晚届满的{listed_on}列入记录为准。</translation>
    </message>
    <message>
        <source>On {referral_date} a correction referral went to office {office_code} because the applicant&apos;s materials differ from provincial record version {record_version}. The {purpose} certificate may be printed only after the corrected record arrives. When that office reports the correction, query the applicant again and print then.</source>
        <translation>因申请人提供的材料与省系统记录（版本{record_version}）不符，已于{referral_date}向单位{office_code}发出信息更正转办。须待更正后的记录同步到本系统，才能打印“{purpose}”计划生育证明。该单位反馈已更正后，请重新查询申请人，再进行打印。</translation>
    </message>
    <message>
        <source>No copy is recorded as checked against its original yet. Compare each copy with its original, stamp it 与原件相符, have the applicant sign, then record which copies were checked.</source>
        <translation>尚未登记任何已与原件核对的复印件。请将每份复印件与原件核对，加盖“与原件相符”章并请申请人签名，然后勾选已核对的复印件。</translation>
    </message>
    <message>
        <source>{count} copies are recorded as checked against their originals, but not the applicant&apos;s signature. Have the applicant sign under each 与原件相符 stamp, then record the signature.</source>
        <translation>已登记{count}份复印件与原件核对无误，但尚未登记申请人签名。请申请人在每个“与原件相符”章下签名，然后勾选“申请人已在每份盖章的复印件上签名”。</translation>
    </message>
    <message>
        <source>The applicant&apos;s last certificate was issued on {last_issued_on}. Up to {window_end}, {reissue_months} months later, a new certificate needs a ring and pregnancy check certificate (查环查孕证明) of the applicant or the spouse. It must be issued on or after {earliest}, at most {check_months} months ago, by a Shenzhen family-planning technical service institution. Record the check certificate, then print.</source>
        <translation>申请人上次办证日期为{last_issued_on}。{reissue_months}个月内（至{window_end}止）再次办证的，须核实申请人或其配偶的查环查孕证明。该证明须由本市计划生育技术服务机构出具，出具日期不早于{earliest}（近{check_months}个月内）。请登记查环查孕证明后再打印。</translation>
    </message>
    <message>
        <source>The check certificate dated {issued_on} has no number recorded. Type the number printed on it.</source>
        <translation>出具日期为{issued_on}的查环查孕证明未填写编号。请输入证明上印制的编号。</translation>
    </message>
    <message>
        <source>The check certificate dated {issued_on} is recorded as the spouse&apos;s, but no spouse is on record for the applicant. Record it as the applicant&apos;s own if it is, or ask for the applicant&apos;s own check certificate.</source>
        <translation>出具日期为{issued_on}的查环查孕证明登记为配偶所有，但省系统中没有申请人的配偶信息。如该证明属于申请人本人，请将所属人改为“申请人本人”；否则请申请人提供本人的查环查孕证明。</translation>
    </message>
    <message>
        <source>The check certificate is dated {issued_on}, after today ({today}). Check the date printed on it and record it again.</source>
        <translation>查环查孕证明的出具日期{issued_on}晚于今天（{today}）。请核对证明上的日期后重新登记。</translation>
    </message>
    <message>
        <source>The check certificate is dated {issued_on}, but only one issued on or after {earliest}, at most {check_months} months ago, is accepted. Ask the applicant for a new check at a Shenzhen family-planning technical service institution.</source>
        <translation>查环查孕证明的出具日期为{issued_on}，但只接受{earliest}及以后（近{check_months}个月内）出具的证明。请申请人到本市计划生育技术服务机构重新查环查孕。</translation>
    </message>
    <message>
        <source>Institution {institution_code} is not on the list of {count} Shenzhen family-planning technical service institutions, and only their check certificates are accepted. Check the code on the certificate, or ask for a check certificate from a listed institution.</source>
        <translation>机构{institution_code}不在本市{count}家计划生育技术服务机构名单内，只接受名单内机构出具的查环查孕证明。请核对证明上的出具机构，或请申请人提供名单内机构出具的查环查孕证明。</translation>
    </message>
    <message>
        <source>Problem list: {entries}.</source>
        <translation>问题名单：{entries}。</translation>
    </message>
    <message>
        <source>{first}; {rest}</source>
        <translation>{first}；{rest}</translation>
    </message>
    <message>
        <source>{category}, listed on {listed_on}</source>
        <translation>{category}，{listed_on}列入</translation>
    </message>
    <message>
        <source>{category}, listed on {listed_on}, no certificate for any purpose through {last_blocked_day}</source>
        <translation>{category}，{listed_on}列入，至{last_blocked_day}止不予出具任何用途的计划生育证明</translation>
    </message>
    <message>
        <source>{category}, listed on {listed_on}, block ended on {last_blocked_day}</source>
        <translation>{category}，{listed_on}列入，限制期已于{last_blocked_day}届满</translation>
    </message>
    <message>
        <source>{category}, listed on {listed_on}, does not block certificates but check the materials with care</source>
        <translation>{category}，{listed_on}列入，不影响出具证明，但请仔细核实材料</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>An unexpected error occurred ({kind}). Nothing was printed. Try again; if it happens again, send the log file to IT.</source>
        <translation>发生意外错误（{kind}），未打印任何内容。请重试；如再次出错，请将日志文件发送给技术人员。</translation>
    </message>
</context>
<context>
    <name>FeedbackState</name>
    <message>
        <source>not yet sent</source>
        <translation>未反馈</translation>
    </message>
    <message>
        <source>sent to the community</source>
        <translation>已反馈社区工作站</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>社区工作站已确认</translation>
    </message>
</context>
<context>
    <name>HukouCategory</name>
    <message>
        <source>Shenzhen hukou</source>
        <translation>深圳市户籍</translation>
    </message>
    <message>
        <source>Guangdong hukou outside Shenzhen</source>
        <translation>广东省内非深圳户籍</translation>
    </message>
    <message>
        <source>hukou outside Guangdong</source>
        <translation>非广东省户籍</translation>
    </message>
</context>
<context>
    <name>IdNumber</name>
    <message>
        <source>Enter the ID number.</source>
        <translation>请输入公民身份号码。</translation>
    </message>
    <message>
        <source>The ID number has {length} characters, but it must have 18 (or 15 for an ID card issued before 1999). Check the number against the ID card and type it again.</source>
        <translation>公民身份号码输入了{length}位，应为18位（1999年以前签发的身份证为15位）。请对照身份证重新输入。</translation>
    </message>
    <message>
        <source>Character {position} of the ID number is &apos;{character}&apos;, but only digits are allowed there. Check the number against the ID card and type it again.</source>
        <translation>公民身份号码第{position}位是“{character}”，该位只能是数字。请对照身份证重新输入。</translation>
    </message>
    <message>
        <source>Character {position} of the ID number is X, but X may only be the last of 18 characters. Check the number against the ID card and type it again.</source>
        <translation>公民身份号码第{position}位是X，但X只能是18位号码的最后一位。请对照身份证重新输入。</translation>
    </message>
    <message>
        <source>The ID number {masked} starts with {province_code}, which is not a Chinese province code. Check the first two digits against the ID card.</source>
        <translation>公民身份号码{masked}以{province_code}开头，这不是我国的省级行政区划代码。请对照身份证核对前两位数字。</translation>
    </message>
    <message>
        <source>The birth date in the ID number, {birth_digits}, is not a valid date. Check the birth date digits against the ID card.</source>
        <translation>公民身份号码中的出生日期{birth_digits}不是有效日期。请对照身份证核对出生日期各位数字。</translation>
    </message>
    <message>
        <source>The birth date in the ID number, {birth_date}, is before 1900. Check the birth date digits against the ID card.</source>
        <translation>公民身份号码中的出生日期{birth_date}早于1900年。请对照身份证核对出生日期各位数字。</translation>
    </message>
    <message>
        <source>The birth date in the ID number, {birth_date}, is after today ({today}). Check the birth date digits against the ID card.</source>
        <translation>公民身份号码中的出生日期{birth_date}晚于今天（{today}）。请对照身份证核对出生日期各位数字。</translation>
    </message>
    <message>
        <source>The last character of ID number {masked} is {actual}, but the first 17 digits give the check character {expected}. One of the 18 characters was typed or read wrongly. Compare each character with the ID card.</source>
        <translation>公民身份号码{masked}的最后一位是{actual}，但按前17位计算，校验码应为{expected}，说明18位中有一位输入或识读有误。请逐位对照身份证核对。</translation>
    </message>
</context>
<context>
    <name>IssuanceStatus</name>
    <message>
        <source>not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <source>This certificate may not be printed: {reasons}</source>
        <translation>不能打印此计划生育证明：{reasons}</translation>
    </message>
    <message>
        <source>Record these before printing: {requirements}</source>
        <translation>打印前请先登记以下事项：{requirements}</translation>
    </message>
    <message>
        <source>The purpose {code} is not in the policy in force. Choose it again from the list.</source>
        <translation>现行政策中没有证明用途{code}。请从列表中重新选择证明用途。</translation>
    </message>
    <message>
        <source>The record was not found any more. Search again.</source>
        <translation>该记录已不存在。请重新查询。</translation>
    </message>
    <message>
        <source>Certificate {number} is {status}; only a certificate that did not print can be printed again here.</source>
        <translation>计划生育证明{number}的状态为“{status}”；此处只能补打未打印成功的计划生育证明。</translation>
    </message>
    <message>
        <source>Certificate {number} is {status}, so there is nothing to reprint. Use Print again for a certificate that did not print.</source>
        <translation>计划生育证明{number}的状态为“{status}”，无需重打。未打印成功的计划生育证明请使用“补打”。</translation>
    </message>
    <message>
        <source>Certificate {number} was voided already; a voided number is never used again.</source>
        <translation>计划生育证明{number}已作废；已作废的证明编号不再使用。</translation>
    </message>
    <message>
        <source>Type the reason (at most {limit} characters); it is kept in the audit trail.</source>
        <translation>请填写原因（不超过{limit}个字），原因将记入操作日志。</translation>
    </message>
    <message>
        <source>The certificate&apos;s record was not found. Refresh the list and choose it again.</source>
        <translation>未找到该证明的记录。请刷新列表后重新选择。</translation>
    </message>
    <message>
        <source>Certificate {number} was printed on {printer}. Stamp it with the office&apos;s seal (计划生育证明专用章) in the empty square before handing it over.</source>
        <translation>计划生育证明{number}已在打印机{printer}上打印。交给申请人前，请在空白方框内加盖本单位的计划生育证明专用章。</translation>
    </message>
    <message>
        <source>Certificate {number} was printed again on {printer}. Destroy the spoiled copy and stamp the new one with the office&apos;s seal.</source>
        <translation>计划生育证明{number}已在打印机{printer}上重打。请销毁损坏的那份，并在新打印的证明上加盖本单位的计划生育证明专用章。</translation>
    </message>
    <message>
        <source>Certificate {number} did not print: {error} The record is kept as not printed; fix the printer and print it again from today&apos;s list under the same number.</source>
        <translation>计划生育证明{number}未能打印：{error}该记录仍为“未打印”；请排除打印机故障后，在“今日证明”列表中按原证明编号补打。</translation>
    </message>
    <message>
        <source>Certificate {number} did not print again: {error} Fix the printer and reprint it from today&apos;s list.</source>
        <translation>计划生育证明{number}重打未成功：{error}请排除打印机故障后，在“今日证明”列表中再次重打。</translation>
    </message>
    <message>
        <source>Certificate {number} is still waiting in the queue of printer {printer} as job {job}, so printing it again now would make a second copy. Fix the printer and let the job print, or have IT cancel job {job}, then print again.</source>
        <translation>计划生育证明{number}仍作为打印任务{job}在打印机{printer}的队列中等待，现在重新打印会多出一份。请排除打印机故障让该任务打印完成，或请技术人员取消任务{job}，然后再重新打印。</translation>
    </message>
    <message>
        <source>Certificate {number} was printed after all, by the earlier job {job}; no second copy was printed. Take it from the printer and stamp it with the office&apos;s seal.</source>
        <translation>计划生育证明{number}已由先前的打印任务{job}打印完成，未再打印第二份。请从打印机取出，并加盖本单位的计划生育证明专用章。</translation>
    </message>
    <message>
        <source>Certificate {number} is voided. Its number is never used again; destroy any printed copy.</source>
        <translation>计划生育证明{number}已作废，该证明编号不再使用。如已打印，请销毁打印件。</translation>
    </message>
    <message>
        <source>Certificate {number} belongs to another office or workstation and cannot be changed here.</source>
        <translation>计划生育证明{number}属于其他单位或窗口，不能在此处操作。</translation>
    </message>
    <message>
        <source>The population data has never been synchronized with the central server, so no certificate may be printed. Synchronize now (or ask IT to), then print again.</source>
        <translation>人口数据从未与中心服务器同步，不能打印计划生育证明。请立即同步（或请技术人员同步），然后重新打印。</translation>
    </message>
    <message>
        <source>The e-key could not sign the certificate&apos;s QR code ({error}), so nothing was printed and no number was used. Check that your e-key is plugged in, then print again.</source>
        <translation>电子钥匙未能签署证明的二维码（{error}），因此没有打印，也没有占用编号。请检查电子钥匙是否已插好，然后重新打印。</translation>
    </message>
    <message>
        <source>The population data was last synchronized on {as_of}, more than {days} days ago, so no certificate may be printed. Synchronize now (or ask IT to), then print again.</source>
        <translation>人口数据最后一次同步于{as_of}，已超过{days}天，不能打印计划生育证明。请立即同步（或请技术人员同步），然后重新打印。</translation>
    </message>
</context>
<context>
    <name>LockController</name>
    <message>
        <source>The e-key is inserted. Type its PIN to unlock.</source>
        <translation>电子密钥已插入。请输入PIN码解锁。</translation>
    </message>
    <message>
        <source>Insert the same e-key that was used to log in.</source>
        <translation>请插入登录时使用的电子密钥。</translation>
    </message>
    <message>
        <source>Type the PIN of your e-key.</source>
        <translation>请输入电子密钥的PIN码。</translation>
    </message>
    <message>
        <source>Checking the e-key…</source>
        <translation>正在验证电子密钥……</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Window locked</source>
        <translation>窗口已锁定</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>PIN码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
</context>
<context>
    <name>LoginController</name>
    <message>
        <source>No e-key is inserted. Insert your e-key and press F5.</source>
        <translation>未插入电子密钥。请插入电子密钥后按F5。</translation>
    </message>
    <message>
        <source>Type the PIN of your e-key.</source>
        <translation>请输入电子密钥的PIN码。</translation>
    </message>
    <message>
        <source>Checking the e-key…</source>
        <translation>正在验证电子密钥……</translation>
    </message>
    <message>
        <source>No e-key found. Insert your e-key; it is detected automatically.</source>
        <translation>未找到电子密钥。请插入电子密钥，系统会自动识别。</translation>
    </message>
    <message>
        <source>{count} e-keys found: choose yours, then type its PIN.</source>
        <translation>找到{count}个电子密钥：请选择您的电子密钥，然后输入PIN码。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in with the e-key</source>
        <translation>电子密钥登录</translation>
    </message>
    <message>
        <source>Family-Planning Certificate System</source>
        <translation>计划生育证明管理系统</translation>
    </message>
    <message>
        <source>&amp;E-key:</source>
        <translation>电子密钥(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Look for e-keys again (F5)</source>
        <translation>重新查找电子密钥（F5）</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>PIN码(&amp;P)：</translation>
    </message>
    <message>
        <source>PIN of the e-key</source>
        <translation>电子密钥的PIN码</translation>
    </message>
    <message>
        <source>&amp;Diagnostics</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <source>Check the e-key driver, printer, server, database and fonts (for IT)</source>
        <translation>检查电子密钥驱动、打印机、服务器、数据库和字体（供技术人员使用）</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>登录(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Family-Planning Certificate System</source>
        <translation>计划生育证明管理系统</translation>
    </message>
    <message>
        <source>&amp;Query and print</source>
        <translation>查询打印(&amp;Q)</translation>
    </message>
    <message>
        <source>ID number or name, then Enter (F2)</source>
        <translation>输入公民身份号码或姓名后按Enter键（F2）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Birth &amp;year:</source>
        <translation>出生年份(&amp;Y)：</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Not registered in the provincial system</source>
        <translation>未在省系统登记</translation>
    </message>
    <message>
        <source>&amp;Hukou:</source>
        <translation>户籍(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Moving into Shenzhen, not living in the city yet</source>
        <translation>未在本市居住的市外调入人员(&amp;M)</translation>
    </message>
    <message>
        <source>Sea&amp;rch:</source>
        <translation>查询(&amp;R)：</translation>
    </message>
    <message>
        <source>Distri&amp;ct:</source>
        <translation>区(&amp;C)：</translation>
    </message>
    <message>
        <source>Print the sl&amp;ip for the applicant</source>
        <translation>为申请人打印建档指引(&amp;I)</translation>
    </message>
    <message>
        <source>P&amp;urpose:</source>
        <translation>证明用途(&amp;U)：</translation>
    </message>
    <message>
        <source>Copies checked against the originals and stamped (与原件相符)</source>
        <translation>已与原件核对并加盖“与原件相符”章的复印件</translation>
    </message>
    <message>
        <source>Ring and pregnancy check certificate (查环查孕证明)</source>
        <translation>查环查孕证明</translation>
    </message>
    <message>
        <source>Belongs to:</source>
        <translation>所属人：</translation>
    </message>
    <message>
        <source>Issued on:</source>
        <translation>出具日期：</translation>
    </message>
    <message>
        <source>Number:</source>
        <translation>证明编号：</translation>
    </message>
    <message>
        <source>Institution:</source>
        <translation>出具机构：</translation>
    </message>
    <message>
        <source>Record &amp;differs from documents…</source>
        <translation>登记信息与材料不符(&amp;D)…</translation>
    </message>
    <message>
        <source>Pre&amp;view (F5)</source>
        <translation>预览（F5）(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Print (Ctrl+P)</source>
        <translation>打印（Ctrl+P）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Today&apos;s certificates</source>
        <translation>今日证明(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Print &amp;again</source>
        <translation>补打(&amp;A)</translation>
    </message>
    <message>
        <source>Reprint after a &amp;jam…</source>
        <translation>卡纸重打(&amp;J)…</translation>
    </message>
    <message>
        <source>V&amp;oid…</source>
        <translation>作废(&amp;O)…</translation>
    </message>
    <message>
        <source>Pro&amp;blem list</source>
        <translation>问题名单(&amp;B)</translation>
    </message>
    <message>
        <source>Archive rete&amp;ntion</source>
        <translation>档案保存期限(&amp;N)</translation>
    </message>
    <message>
        <source>Show removed entries</source>
        <translation>显示已移出的记录</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&amp;Add entry…</source>
        <translation>录入(&amp;A)…</translation>
    </message>
    <message>
        <source>Mark &amp;fed back</source>
        <translation>标记为已反馈(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>移出名单(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Follow-up</source>
        <translation>转办跟踪(&amp;F)</translation>
    </message>
    <message>
        <source>Materials that may be disposed of by:</source>
        <translation>截至以下日期可销毁的归档材料：</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Synchronize now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>Receive the latest data from the central server and send this counter&apos;s records</source>
        <translation>从中心服务器接收最新数据，并发送本窗口的记录</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Lock window</source>
        <translation>锁定窗口(&amp;L)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
</context>
<context>
    <name>MainWindowController</name>
    <message>
        <source>all districts</source>
        <translation>全部区</translation>
    </message>
    <message>
        <source>Clerk: {name} ({role})   Office: {office}   Window: {workstation}   Printer: {printer}</source>
        <translation>用户：{name}（{role}）   单位：{office}   窗口：{workstation}   打印机：{printer}</translation>
    </message>
    <message>
        <source>system default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询……</translation>
    </message>
    <message>
        <source>This office may issue this certificate.</source>
        <translation>本单位可以出具此计划生育证明。</translation>
    </message>
    <message>
        <source>This office may not issue this certificate.</source>
        <translation>本单位不能出具此计划生育证明。</translation>
    </message>
    <message>
        <source>as the ID number&apos;s region code says</source>
        <translation>按公民身份号码地址码判定</translation>
    </message>
    <message>
        <source>User: {name} ({role})   Unit: {office}</source>
        <translation>用户：{name}（{role}）   单位：{office}</translation>
    </message>
    <message>
        <source>This office may issue this certificate once these are recorded:</source>
        <translation>登记以下事项后，本单位可以出具此计划生育证明：</translation>
    </message>
    <message>
        <source>Decided by policy {version}</source>
        <translation>依据{version}版政策判定</translation>
    </message>
    <message>
        <source>Rendering the certificate…</source>
        <translation>正在生成计划生育证明……</translation>
    </message>
    <message>
        <source>Printing the certificate…</source>
        <translation>正在打印计划生育证明……</translation>
    </message>
    <message>
        <source>{count} certificates today, {failed} not printed.</source>
        <translation>今日共{count}份计划生育证明，其中{failed}份未打印。</translation>
    </message>
    <message>
        <source>Choose a certificate that did not print.</source>
        <translation>请选择一份未打印成功的计划生育证明。</translation>
    </message>
    <message>
        <source>Choose the certificate to void.</source>
        <translation>请选择要作废的计划生育证明。</translation>
    </message>
    <message>
        <source>Void certificate {number}</source>
        <translation>作废计划生育证明{number}</translation>
    </message>
    <message>
        <source>Reason for voiding {number}:</source>
        <translation>作废计划生育证明{number}的原因：</translation>
    </message>
    <message>
        <source>Choose the printed certificate to reprint.</source>
        <translation>请选择要重打的已打印计划生育证明。</translation>
    </message>
    <message>
        <source>Reprint certificate {number}</source>
        <translation>重打计划生育证明{number}</translation>
    </message>
    <message>
        <source>Why must {number} be printed again (for example a paper jam)?</source>
        <translation>计划生育证明{number}为什么需要重打（例如卡纸）？</translation>
    </message>
    <message>
        <source>The slip was printed on {printer}.</source>
        <translation>建档指引已在打印机{printer}上打印。</translation>
    </message>
    <message>
        <source>Printing the slip…</source>
        <translation>正在打印建档指引……</translation>
    </message>
    <message>
        <source>The correction referral was sent. Print after the corrected record arrives.</source>
        <translation>信息更正转办已发出。请待更正后的记录同步到本系统后再打印。</translation>
    </message>
</context>
<context>
    <name>MaritalStatus</name>
    <message>
        <source>unmarried</source>
        <translation>未婚</translation>
    </message>
    <message>
        <source>first marriage</source>
        <translation>初婚</translation>
    </message>
    <message>
        <source>remarried</source>
        <translation>再婚</translation>
    </message>
    <message>
        <source>divorced</source>
        <translation>离婚</translation>
    </message>
    <message>
        <source>widowed</source>
        <translation>丧偶</translation>
    </message>
</context>
<context>
    <name>MismatchDialog</name>
    <message>
        <source>Record differs from the documents</source>
        <translation>登记信息与申请人材料不符</translation>
    </message>
    <message>
        <source>Enter each difference between the provincial record and the applicant&apos;s documents. A correction referral goes to the office responsible for the record, and this certificate is printed only after the corrected record has arrived.</source>
        <translation>请逐项填写省系统登记信息与申请人材料的不符之处。系统将向负责该记录的单位发出信息更正转办，待更正后的记录同步到本系统后，才能打印此计划生育证明。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value on the record</source>
        <translation>省系统登记内容</translation>
    </message>
    <message>
        <source>Value on the document</source>
        <translation>材料所载内容</translation>
    </message>
    <message>
        <source>Add a &amp;row</source>
        <translation>添加一行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Send the referral</source>
        <translation>发出信息更正转办(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>OfficeLevel</name>
    <message>
        <source>city commission</source>
        <translation>市卫人委</translation>
    </message>
    <message>
        <source>district office</source>
        <translation>区计生部门</translation>
    </message>
    <message>
        <source>street office</source>
        <translation>街道计生办</translation>
    </message>
    <message>
        <source>community workstation</source>
        <translation>社区工作站</translation>
    </message>
</context>
<context>
    <name>OriginalDocument</name>
    <message>
        <source>ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>household register</source>
        <translation>户口簿</translation>
    </message>
    <message>
        <source>marriage certificate</source>
        <translation>结婚证</translation>
    </message>
    <message>
        <source>birth certificates of the children</source>
        <translation>子女出生医学证明</translation>
    </message>
    <message>
        <source>residence permit</source>
        <translation>居住证</translation>
    </message>
    <message>
        <source>other materials</source>
        <translation>其他材料</translation>
    </message>
</context>
<context>
    <name>OsError</name>
    <message>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>the file system is read-only</source>
        <translation>文件系统为只读</translation>
    </message>
    <message>
        <source>the name is a folder, not a file</source>
        <translation>该名称是文件夹，不是文件</translation>
    </message>
    <message>
        <source>the file or folder does not exist</source>
        <translation>文件或文件夹不存在</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>a part of the path is not a folder</source>
        <translation>路径中有一部分不是文件夹</translation>
    </message>
    <message>
        <source>the connection was refused: no server is listening at that address and port</source>
        <translation>连接被拒绝：该地址和端口上没有服务器在运行</translation>
    </message>
    <message>
        <source>the server name could not be resolved (DNS)</source>
        <translation>无法解析服务器名称（DNS）</translation>
    </message>
    <message>
        <source>the network or the host is unreachable</source>
        <translation>网络或主机不可达</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>服务器断开了连接</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>the server&apos;s certificate was not issued by a trusted CA</source>
        <translation>服务器的证书不是由受信任的CA签发的</translation>
    </message>
    <message>
        <source>the server&apos;s certificate has expired</source>
        <translation>服务器的证书已过期</translation>
    </message>
    <message>
        <source>the server&apos;s certificate is for another host name</source>
        <translation>服务器的证书属于另一个主机名</translation>
    </message>
    <message>
        <source>the TLS handshake failed</source>
        <translation>TLS握手失败</translation>
    </message>
    <message>
        <source>the connection failed</source>
        <translation>连接失败</translation>
    </message>
</context>
<context>
    <name>PersonRecord</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>公民身份号码</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Hukou</source>
        <translation>户籍</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>现居住地</translation>
    </message>
    <message>
        <source>Marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <source>Spouse</source>
        <translation>配偶</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>子女</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Current pregnancy: birth order {order}, due {due}</source>
        <translation>现孕：孩次{order}，预产期{due}</translation>
    </message>
    <message>
        <source>Record version {version}, updated {updated}</source>
        <translation>记录版本{version}，更新于{updated}</translation>
    </message>
    <message>
        <source>Population data as of {time} (China time)</source>
        <translation>人口数据截至{time}（北京时间）</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>The printer {queue} was not found. Printers set up on this computer: {queues}. Ask IT to set the printer setting in the configuration file to one of them, or to set up the printer.</source>
        <translation>未找到打印机{queue}。本机已设置的打印机：{queues}。请技术人员将配置文件中的打印机设置改为其中之一，或安装该打印机。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The lp command was not found, so nothing can be printed. Ask IT to install CUPS (Debian package cups-client).</source>
        <translation>未找到lp命令，无法打印。请技术人员安装CUPS（Debian软件包cups-client）。</translation>
    </message>
    <message>
        <source>The print service (CUPS) is not running or cannot be reached: {error}. Ask IT to start it, then print again.</source>
        <translation>打印服务（CUPS）未运行或无法连接：{error}。请技术人员启动打印服务，然后重新打印。</translation>
    </message>
    <message>
        <source>The printer {queue} is paused (disabled) and does not print: {reason}. Check the printer, then enable it with &apos;cupsenable {queue}&apos; or ask IT.</source>
        <translation>打印机{queue}已暂停（停用），不会打印：{reason}。请检查打印机，然后用命令“cupsenable {queue}”启用，或联系技术人员。</translation>
    </message>
    <message>
        <source>The printer {queue} does not accept jobs: {reason}. Enable it with &apos;cupsaccept {queue}&apos; or ask IT.</source>
        <translation>打印机{queue}不接受打印任务：{reason}。请用命令“cupsaccept {queue}”启用，或联系技术人员。</translation>
    </message>
    <message>
        <source>The printer {queue} stopped before job {job_id} was printed: {reason}. The job is still waiting in the queue. Check the printer and enable it with &apos;cupsenable {queue}&apos;, or cancel the job with &apos;cancel {job_id}&apos;.</source>
        <translation>打印任务{job_id}尚未打印，打印机{queue}已停止：{reason}。该任务仍在队列中等待。请检查打印机并用命令“cupsenable {queue}”启用，或用命令“cancel {job_id}”取消该任务。</translation>
    </message>
    <message>
        <source>The print system rejected the certificate for printer {queue}: {error}. Print again, or ask IT if this repeats.</source>
        <translation>打印系统拒绝了发往打印机{queue}的计划生育证明：{error}。请重新打印；如反复出现，请联系技术人员。</translation>
    </message>
    <message>
        <source>The lp command did not finish within {seconds} seconds, so it is not known whether the certificate reached printer {queue}. Check the printer queue before printing again.</source>
        <translation>lp命令在{seconds}秒内未完成，无法确定计划生育证明是否已发送到打印机{queue}。请先检查打印队列，再决定是否重新打印。</translation>
    </message>
    <message>
        <source>Print job {job_id} on printer {queue} ended as {state} and the certificate was not printed: {reason}. Check the printer, then print again.</source>
        <translation>打印机{queue}上的打印任务{job_id}已结束（状态：{state}），计划生育证明未打印：{reason}。请检查打印机，然后重新打印。</translation>
    </message>
    <message>
        <source>Print job {job_id} on printer {queue} is no longer known to the print system, so it is not known whether it printed. Check the printout before printing again.</source>
        <translation>打印系统中已查不到打印机{queue}上的打印任务{job_id}，无法确定是否已打印。请先检查打印出的纸张，再决定是否重新打印。</translation>
    </message>
    <message>
        <source>Print job {job_id} on printer {queue} did not finish within {seconds} seconds (it is {state}). The job stays in the queue: check the printer and the printout before printing again.</source>
        <translation>打印机{queue}上的打印任务{job_id}在{seconds}秒内未完成（当前状态：{state}）。该任务仍在队列中：请先检查打印机和打印出的纸张，再决定是否重新打印。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>The command {command} failed with exit status {status}: {output}</source>
        <translation>命令{command}执行失败，退出状态为{status}：{output}</translation>
    </message>
    <message>
        <source>The command {command} was not found. Install the Debian package {package}.</source>
        <translation>未找到命令{command}。请安装Debian软件包{package}。</translation>
    </message>
    <message>
        <source>The cups-pdf driver file {path} was not found. Install the Debian package printer-driver-cups-pdf.</source>
        <translation>未找到cups-pdf驱动文件{path}。请安装Debian软件包printer-driver-cups-pdf。</translation>
    </message>
    <message>
        <source>Starting the CUPS scheduler needs root rights. Run &apos;cupsd&apos; as root.</source>
        <translation>启动CUPS调度程序需要root权限。请以root身份运行“cupsd”。</translation>
    </message>
    <message>
        <source>The CUPS scheduler did not report that it is running within {seconds} seconds after &apos;cupsd&apos; was started. Read /var/log/cups/error_log.</source>
        <translation>启动“cupsd”后{seconds}秒内，CUPS调度程序未报告已在运行。请查看/var/log/cups/error_log。</translation>
    </message>
    <message>
        <source>certificate number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>证明用途</translation>
    </message>
    <message>
        <source>statement</source>
        <translation>证明内容</translation>
    </message>
    <message>
        <source>applicant&apos;s name</source>
        <translation>申请人姓名</translation>
    </message>
    <message>
        <source>applicant&apos;s sex</source>
        <translation>申请人性别</translation>
    </message>
    <message>
        <source>applicant&apos;s ID number</source>
        <translation>申请人公民身份号码</translation>
    </message>
    <message>
        <source>applicant&apos;s birth date</source>
        <translation>申请人出生日期</translation>
    </message>
    <message>
        <source>applicant&apos;s ethnicity</source>
        <translation>申请人民族</translation>
    </message>
    <message>
        <source>hukou category</source>
        <translation>户籍类别</translation>
    </message>
    <message>
        <source>hukou address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <source>current residence address</source>
        <translation>现居住地址</translation>
    </message>
    <message>
        <source>marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <source>marriage date</source>
        <translation>结婚日期</translation>
    </message>
    <message>
        <source>spouse&apos;s name</source>
        <translation>配偶姓名</translation>
    </message>
    <message>
        <source>spouse&apos;s ID number</source>
        <translation>配偶公民身份号码</translation>
    </message>
    <message>
        <source>current pregnancy</source>
        <translation>现孕情况</translation>
    </message>
    <message>
        <source>validity</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <source>issue date</source>
        <translation>出具日期</translation>
    </message>
    <message>
        <source>policy version</source>
        <translation>政策版本</translation>
    </message>
    <message>
        <source>printed form text</source>
        <translation>证明表格固定文字</translation>
    </message>
    <message>
        <source>name of child {index}</source>
        <translation>第{index}个子女姓名</translation>
    </message>
    <message>
        <source>sex of child {index}</source>
        <translation>第{index}个子女性别</translation>
    </message>
    <message>
        <source>birth date of child {index}</source>
        <translation>第{index}个子女出生日期</translation>
    </message>
    <message>
        <source>birth order of child {index}</source>
        <translation>第{index}个子女孩次</translation>
    </message>
    <message>
        <source>additional field {key}</source>
        <translation>附加字段{key}</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>No certificate font was found. Searched for {files} in these folders: {folders}. Install the Debian packages fonts-arphic-uming and fonts-hanazono, or copy the font files into the folder named by the FPCERT_FONT_DIR environment variable, then start the program again.</source>
        <translation>未找到打印计划生育证明所需的字体。已在以下文件夹中查找{files}：{folders}。请安装Debian软件包fonts-arphic-uming和fonts-hanazono，或将字体文件复制到环境变量FPCERT_FONT_DIR指定的文件夹中，然后重新启动程序。</translation>
    </message>
    <message>
        <source>The {field} contains {characters}, which no installed font can print. Install the HanaMinB font (Debian package fonts-hanazono) or ask IT for help. The certificate was not printed.</source>
        <translation>{field}中含有{characters}，已安装的字体均无法打印。请安装HanaMinB字体（Debian软件包fonts-hanazono），或联系技术人员。计划生育证明未打印。</translation>
    </message>
    <message>
        <source>The certificate {number} does not fit on one A4 page, even at the smallest font size ({size} pt), because the {part} is too long. Shorten the addresses, the statement or the office name, then print again. The certificate was not printed.</source>
        <translation>由于{part}过长，计划生育证明{number}即使使用最小字号（{size}磅）也无法排在一张A4纸上。请缩短地址、证明内容或单位名称，然后重新打印。计划生育证明未打印。</translation>
    </message>
    <message>
        <source>applicant data and statement</source>
        <translation>申请人信息和证明内容</translation>
    </message>
    <message>
        <source>issuing office name</source>
        <translation>出具单位名称</translation>
    </message>
    <message>
        <source>The slip {title} has more text than fits on half a page. Shorten the entered text, then print again.</source>
        <translation>“{title}”的文字超出半页纸的篇幅。请删减录入的文字，然后重新打印。</translation>
    </message>
</context>
<context>
    <name>ProblemCategory</name>
    <message>
        <source>birth outside the rules</source>
        <translation>违法生育</translation>
    </message>
    <message>
        <source>false certificate or materials</source>
        <translation>提供虚假证明材料</translation>
    </message>
</context>
<context>
    <name>ProblemEntryDialog</name>
    <message>
        <source>Add a problem-list entry</source>
        <translation>录入问题名单</translation>
    </message>
    <message>
        <source>&amp;ID number:</source>
        <translation>公民身份号码(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>类别(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Listing date:</source>
        <translation>列入日期(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Facts found:</source>
        <translation>核实情况(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Materials filed at:</source>
        <translation>资料存放位置(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <source>Only the administrator of a district or street office may change the problem list. Ask your office&apos;s administrator.</source>
        <translation>只有区计生部门或街道计生办的管理员才能修改问题名单。请联系本单位管理员。</translation>
    </message>
    <message>
        <source>No record with ID number {masked} is held here, so it cannot be listed. Check the number against the verified materials.</source>
        <translation>本地数据中没有公民身份号码为{masked}的记录，因此不能列入问题名单。请对照已核实的材料核对号码。</translation>
    </message>
    <message>
        <source>The listing date {listed_on} is after today ({today}). Enter the date the facts were verified.</source>
        <translation>列入日期{listed_on}晚于今天（{today}）。请填写情况核实的日期。</translation>
    </message>
    <message>
        <source>Describe the facts found and where the supporting materials are filed (at most {limit} characters each); both are required.</source>
        <translation>请填写核实情况和相关资料的存放位置（各不超过{limit}个字），两项均为必填项。</translation>
    </message>
    <message>
        <source>Type the reason for removing or correcting the entry; it is kept with the entry&apos;s history.</source>
        <translation>请填写移出或更正该记录的原因，原因将保存在该记录的变更历史中。</translation>
    </message>
    <message>
        <source>Problem-list entry {entry} was not found.</source>
        <translation>未找到问题名单记录{entry}。</translation>
    </message>
    <message>
        <source>Entry {entry} was made by office {office}, outside your office&apos;s area, so you may not change it.</source>
        <translation>问题名单记录{entry}由单位{office}录入，不在本单位管辖范围内，您不能修改。</translation>
    </message>
</context>
<context>
    <name>ProblemListPage</name>
    <message>
        <source>all categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Remove the entry</source>
        <translation>移出问题名单</translation>
    </message>
    <message>
        <source>Reason for removing the entry of {name}:</source>
        <translation>将{name}移出问题名单的原因：</translation>
    </message>
    <message>
        <source>Choose an entry first.</source>
        <translation>请先选择一条记录。</translation>
    </message>
    <message>
        <source>{count} entries.</source>
        <translation>共{count}条记录。</translation>
    </message>
</context>
<context>
    <name>QrPayload</name>
    <message>
        <source>The scanned text is not a certificate&apos;s verification code (it does not start with FPC). Scan the QR code in the lower left corner of the certificate.</source>
        <translation>扫描到的内容不是证明的核验码（不以 FPC 开头）。请扫描证明左下角的二维码。</translation>
    </message>
    <message>
        <source>The code is empty: nothing follows {prefix}. Scan the QR code again.</source>
        <translation>核验码为空：{prefix} 之后没有任何内容。请重新扫描二维码。</translation>
    </message>
    <message>
        <source>The input has {length} characters, but a verification code has at most {maximum}. Clear the field and scan the QR code again.</source>
        <translation>输入的内容有 {length} 个字符，而核验码最多只有 {maximum} 个字符。请清空输入框后重新扫描二维码。</translation>
    </message>
    <message>
        <source>The code has format version {version}, which is newer than this program can read. Update the program, or type the certificate number to ask the server.</source>
        <translation>该核验码的格式版本为 {version}，比本程序能识别的版本新。请升级程序，或输入证明编号向服务器查询。</translation>
    </message>
    <message>
        <source>The code starts with format version {version}, but no such version exists because the first one is {first}. Check that the code starts with {prefix} and scan it again.</source>
        <translation>该核验码开头标明的格式版本为 {version}，但不存在这一版本，最早的版本是 {first}。请确认核验码以 {prefix} 开头，然后重新扫描。</translation>
    </message>
    <message>
        <source>The code contains characters that a verification code never has ({characters}), so it was misread or mistyped. Scan the QR code again.</source>
        <translation>核验码中含有核验码不可能出现的字符（{characters}），说明读错或输错了。请重新扫描二维码。</translation>
    </message>
    <message>
        <source>The code is incomplete, because it is cut off in the {detail}. Scan the QR code again. If it stays incomplete, the printed code is damaged, so type the certificate number.</source>
        <translation>核验码不完整（{detail}部分缺失）。请重新扫描二维码。如仍不完整，说明印刷的二维码已损坏：联网时可改为输入证明编号，向中心服务器查询。</translation>
    </message>
    <message>
        <source>The code is longer than a verification code can be. Clear the field and scan the QR code again. If it stays too long, the code is not genuine.</source>
        <translation>核验码比正常的核验码长。请清空输入框后重新扫描二维码。如仍然过长，该核验码不是真实的。</translation>
    </message>
    <message>
        <source>The code contains an invalid {field}, so it was altered. Scan it again.</source>
        <translation>核验码中的{field}无效，说明已被篡改。请重新扫描。</translation>
    </message>
    <message>
        <source>The last character of the code differs from the one the issuing program writes, so the code was altered.</source>
        <translation>核验码的最后一个字符与出证程序写入的不同，说明核验码已被篡改。</translation>
    </message>
    <message>
        <source>format version</source>
        <translation>格式版本</translation>
    </message>
    <message>
        <source>office code</source>
        <translation>单位代码</translation>
    </message>
    <message>
        <source>workstation</source>
        <translation>窗口编号</translation>
    </message>
    <message>
        <source>year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>serial</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>certificate number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>issue date</source>
        <translation>开具日期</translation>
    </message>
    <message>
        <source>valid-until date</source>
        <translation>有效期截止日期</translation>
    </message>
    <message>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>salt</source>
        <translation>盐值</translation>
    </message>
    <message>
        <source>ID hash</source>
        <translation>身份证号摘要</translation>
    </message>
    <message>
        <source>key id</source>
        <translation>密钥标识</translation>
    </message>
    <message>
        <source>signature algorithm</source>
        <translation>签名算法</translation>
    </message>
    <message>
        <source>signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>base32 encoding</source>
        <translation>编码</translation>
    </message>
</context>
<context>
    <name>QtPrinter</name>
    <message>
        <source>The printer {printer} was not found. Installed printers: {available}. Correct the printer setting, then print again.</source>
        <translation>未找到打印机{printer}。已安装的打印机：{available}。请更正打印机设置后重新打印。</translation>
    </message>
    <message>
        <source>The printer {printer} did not accept the job. Check that it is switched on and has paper, then print again.</source>
        <translation>打印机{printer}未接受打印任务。请检查打印机已开机且有纸，然后重新打印。</translation>
    </message>
</context>
<context>
    <name>Query</name>
    <message>
        <source>Type the applicant&apos;s ID number (18 characters) or name, then press Enter.</source>
        <translation>请输入申请人的公民身份号码（18位）或姓名，然后按Enter键。</translation>
    </message>
    <message>
        <source>{typed} digits were typed, but an ID number has 18 characters (or 15 on old cards). Type the whole number from the ID card.</source>
        <translation>已输入{typed}位数字，但公民身份号码应为18位（旧身份证为15位）。请对照身份证输入完整号码。</translation>
    </message>
    <message>
        <source>{text!r} is neither an ID number nor a Chinese name. Type the 18-character ID number, or the name in Chinese characters (a minority name with ·).</source>
        <translation>{text!r}既不是公民身份号码，也不是中文姓名。请输入18位公民身份号码，或用汉字输入姓名（少数民族姓名用“·”分隔）。</translation>
    </message>
    <message>
        <source>No record with ID number {masked} is in the provincial data held here. The applicant must first have a population archive card (人口档案卡) made and be registered in the provincial system; the guidance below says where. Print it as a slip for the applicant. The certificate is printed after the record has arrived.</source>
        <translation>本地的省系统数据中没有公民身份号码为{masked}的记录。申请人须先建立人口档案卡并在省系统中登记录入，办理地点见下方指引，可打印建档指引交给申请人。待记录同步到本系统后再打印计划生育证明。</translation>
    </message>
    <message>
        <source>No person named {name} was found. Check the characters, or search by ID number.</source>
        <translation>未找到姓名为{name}的人员。请核对姓名用字，或改用公民身份号码查询。</translation>
    </message>
    <message>
        <source>No person named {name} was found with the chosen birth year or district. Clear them, check the characters, or search by ID number.</source>
        <translation>在所选出生年份或区内未找到姓名为{name}的人员。请清除筛选条件、核对姓名用字，或改用公民身份号码查询。</translation>
    </message>
    <message>
        <source>{count} people found. Choose the applicant and compare the ID number.</source>
        <translation>找到{count}人。请选择申请人，并核对公民身份号码。</translation>
    </message>
    <message>
        <source>More than {count} people match {name}; the first {count} are shown. Narrow the search by birth year or district, or search by ID number.</source>
        <translation>符合“{name}”的人员超过{count}人，只显示前{count}人。请按出生年份或区缩小查询范围，或改用公民身份号码查询。</translation>
    </message>
    <message>
        <source>The record was not found any more. Search again.</source>
        <translation>该记录已不存在。请重新查询。</translation>
    </message>
</context>
<context>
    <name>Referrals</name>
    <message>
        <source>Enter at least one difference: the field, the value on the record and the value on the applicant&apos;s document.</source>
        <translation>请至少填写一处不符之处：项目、省系统登记内容和申请人材料所载内容。</translation>
    </message>
    <message>
        <source>Row {row}: the field name and the document&apos;s value are required, at most {limit} characters each, and the document&apos;s value must differ from the record&apos;s.</source>
        <translation>第{row}行：项目名称和材料所载内容为必填项，各不超过{limit}个字，且材料所载内容须与省系统登记内容不同。</translation>
    </message>
    <message>
        <source>The record was not found any more. Search again.</source>
        <translation>该记录已不存在。请重新查询。</translation>
    </message>
    <message>
        <source>No office responsible for division {division} is in the local data. Synchronise the reference data, or ask IT.</source>
        <translation>本地数据中没有负责行政区划{division}的单位。请同步基础数据，或联系技术人员。</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Reprinted</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>No data for this day.</source>
        <translation>当日没有数据。</translation>
    </message>
</context>
<context>
    <name>ReportCli</name>
    <message>
        <source>The date {text} is not valid. Write it as YYYY-MM-DD, for example 2026-12-04.</source>
        <translation>日期 {text} 无效。请写成 YYYY-MM-DD，例如 2026-12-04。</translation>
    </message>
    <message>
        <source>The date {text} does not exist in the calendar. Check the month and the day.</source>
        <translation>日期 {text} 在日历中不存在。请检查月份和日期。</translation>
    </message>
    <message>
        <source>No daily report can be made for {text}. Choose a date from {first} to {last}.</source>
        <translation>无法生成 {text} 的每日打证统计。请选择 {first} 至 {last} 之间的日期。</translation>
    </message>
    <message>
        <source>The output file is missing. Give --out a file name ending in .pdf or .xlsx, for example --out daily.pdf.</source>
        <translation>缺少输出文件。请在 --out 后写以 .pdf 或 .xlsx 结尾的文件名，例如 --out daily.pdf。</translation>
    </message>
    <message>
        <source>The output file {path} must end in .pdf or .xlsx; the ending chooses the format.</source>
        <translation>输出文件 {path} 必须以 .pdf 或 .xlsx 结尾，由结尾决定格式。</translation>
    </message>
    <message>
        <source>The folder {folder} of the output file does not exist. Create it or choose another --out path.</source>
        <translation>输出文件所在的文件夹 {folder} 不存在。请先建立该文件夹，或改用其他 --out 路径。</translation>
    </message>
    <message>
        <source>The report could not be written to {path}: {error}. Choose a file in a folder you may write to.</source>
        <translation>统计表无法写入 {path}：{error}。请选择有写入权限的文件夹中的文件。</translation>
    </message>
    <message>
        <source>Wrote {path}: {day}, office {office}, {windows} windows, {printed} printed, {voids} voided, {refusals} refused. Data of this workstation only.</source>
        <translation>已写入 {path}：{day}，单位 {office}，{windows} 个窗口，打印 {printed} 份，作废 {voids} 份，拒绝 {refusals} 次。仅含本工作站数据。</translation>
    </message>
    <message>
        <source>Wrote {path}: office {office}, {disposal} certificates&apos; materials may be disposed of, {problems} problem-list entries.</source>
        <translation>已写入 {path}：单位 {office}，{disposal} 份证明的档案材料可销毁，问题名单 {problems} 条。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>wrong office level</source>
        <translation>办理层级不符</translation>
    </message>
    <message>
        <source>number of children</source>
        <translation>子女数不符</translation>
    </message>
    <message>
        <source>no registered pregnancy</source>
        <translation>无怀孕登记</translation>
    </message>
    <message>
        <source>unknown purpose</source>
        <translation>用途不明</translation>
    </message>
    <message>
        <source>policy not in force</source>
        <translation>政策未生效</translation>
    </message>
    <message>
        <source>on the problem list</source>
        <translation>列入问题名单</translation>
    </message>
    <message>
        <source>open correction referral</source>
        <translation>待核实更正</translation>
    </message>
    <message>
        <source>Data of this workstation only: the central server was not reached, so other windows are missing.</source>
        <translation>本工作站数据，未连接中心服务器：其他窗口的打证不在其中。</translation>
    </message>
    <message>
        <source>Data of the central server: every window of the office and the offices below it.</source>
        <translation>中心服务器数据：含本单位及下级单位的全部窗口。</translation>
    </message>
    <message>
        <source>The office code &quot;{code}&quot; is not valid. An office code has 6, 9 or 12 digits, for example 440304004.</source>
        <translation>单位代码“{code}”格式无效。单位代码为6位、9位或12位数字，例如 440304004。</translation>
    </message>
    <message>
        <source>No daily report can be made for {day}. Choose a day from {first} to {last}.</source>
        <translation>无法生成 {day} 的每日打证统计。请选择 {first} 至 {last} 之间的日期。</translation>
    </message>
    <message>
        <source>Office {code} is not in this workstation&apos;s database. Check the code (6, 9 or 12 digits) or synchronize, then try again.</source>
        <translation>本工作站数据库中没有单位 {code}。请核对代码（6、9 或 12 位）或先同步，再试一次。</translation>
    </message>
    <message>
        <source>A partner-unit user may not read the print reports. Ask the office&apos;s supervisor.</source>
        <translation>协作单位用户不能查看打证统计。请向本单位主管索取。</translation>
    </message>
    <message>
        <source>Office {code} is outside your office {own}. You may read your own office and the offices below it.</source>
        <translation>单位 {code} 不在您的单位 {own} 范围内。您只能查看本单位及下级单位。</translation>
    </message>
    <message>
        <source>A print clerk may read the report of their own office {own} only. Ask a supervisor for office {code}.</source>
        <translation>打证员只能查看本单位 {own} 的统计。单位 {code} 的统计请找主管。</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>打证员</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Reprinted</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>Refused: {rule}</source>
        <translation>拒绝：{rule}</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>First print</source>
        <translation>首次打印</translation>
    </message>
    <message>
        <source>Last print</source>
        <translation>末次打印</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Daily print summary</source>
        <translation>每日打证统计</translation>
    </message>
    <message>
        <source>Choose an office first.</source>
        <translation>请先选择单位。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{day}: {printed} printed ({previous:+d} from the day before, {week:+d} from the same weekday last week), {voids} voided, {reprints} reprinted, {not_printed} not printed, {refusals} refused.</source>
        <translation>{day}：打印 {printed} 份（比前一日 {previous:+d}，比上周同日 {week:+d}），作废 {voids} 份，补打 {reprints} 份，未打印 {not_printed} 份，拒绝 {refusals} 次。</translation>
    </message>
    <message>
        <source>{count} records of this workstation wait to be synchronized.</source>
        <translation>本工作站有 {count} 条记录待同步。</translation>
    </message>
    <message>
        <source>Export as PDF</source>
        <translation>导出为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Export as Excel</source>
        <translation>导出为 Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Show a report first.</source>
        <translation>请先显示统计。</translation>
    </message>
    <message>
        <source>The file name {name} must end in .pdf or .xlsx. The ending chooses the format.</source>
        <translation>文件名 {name} 必须以 .pdf 或 .xlsx 结尾，结尾决定文件格式。</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>Printed on {printer} as job {job}.</source>
        <translation>已在打印机 {printer} 上打印，作业 {job}。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>The report could not be saved to {path}: {error}. Choose a folder you may write to.</source>
        <translation>统计表无法保存到 {path}：{error}。请选择有写入权限的文件夹。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>print clerk</source>
        <translation>打证员</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>partner-unit query user</source>
        <translation>兼职单位查询用户</translation>
    </message>
</context>
<context>
    <name>RunApp</name>
    <message>
        <source>The program could not start because of an unexpected error ({kind}). Run fpcert-desktop doctor to check the settings, the e-key driver and the database. If it finds nothing, send the log file to IT.</source>
        <translation>程序因意外错误（{kind}）无法启动。请运行 fpcert-desktop doctor 检查设置、电子钥匙驱动和数据库；如未发现问题，请将日志文件发送给技术人员。</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>The setting database_path is {path}, but the folder {folder} does not exist. Correct the setting or create the folder, then start the program again.</source>
        <translation>设置项 database_path 为{path}，但文件夹{folder}不存在。请更正该设置或创建该文件夹，然后重新启动程序。</translation>
    </message>
    <message>
        <source>No printer is configured and the system has no default printer. Set the printer setting in the configuration file, or make a printer the default, then print again.</source>
        <translation>未设置打印机，系统也没有默认打印机。请在配置文件中填写设置项printer，或将一台打印机设为默认打印机，然后重新打印。</translation>
    </message>
</context>
<context>
    <name>Sex</name>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>The server address {url} is not allowed: use an https:// address (plain http:// only to 127.0.0.1 or localhost). Correct server_url in the configuration file.</source>
        <translation>不允许使用服务器地址{url}：请使用 https:// 地址（仅 127.0.0.1 或 localhost 可用 http://）。请更正配置文件中的 server_url。</translation>
    </message>
    <message>
        <source>No central server is configured. Set server_url in the configuration file, then sync again.</source>
        <translation>未设置中心服务器。请在配置文件中设置 server_url，然后重新同步。</translation>
    </message>
    <message>
        <source>The central server at {url} could not be reached after {attempts} attempts: {error}. Check the network cable and the server address, then sync again.</source>
        <translation>尝试{attempts}次后仍无法连接中心服务器{url}：{error}。请检查网线和服务器地址，然后重新同步。</translation>
    </message>
    <message>
        <source>The central server at {url} did not respond in time after {attempts} attempts. Sync again later; if it keeps happening, ask IT to check the server.</source>
        <translation>尝试{attempts}次后中心服务器{url}仍未及时响应。请稍后重新同步；如反复出现，请技术人员检查服务器。</translation>
    </message>
    <message>
        <source>The TLS certificate of the server at {url} could not be verified: {error}. Ask IT to check the ca_bundle setting and the server&apos;s certificate. Nothing was sent.</source>
        <translation>无法验证服务器{url}的 TLS 证书：{error}。请技术人员检查 ca_bundle 设置和服务器证书。未发送任何数据。</translation>
    </message>
    <message>
        <source>The CA bundle {path} set in ca_bundle does not exist. Ask IT to correct the setting.</source>
        <translation>ca_bundle 中设置的 CA 文件{path}不存在。请技术人员更正该设置。</translation>
    </message>
    <message>
        <source>The central server failed (HTTP {status}) after {attempts} attempts. Sync again later; if it keeps happening, ask IT to check the server.</source>
        <translation>尝试{attempts}次后中心服务器仍出错（HTTP {status}）。请稍后重新同步；如反复出现，请技术人员检查服务器。</translation>
    </message>
    <message>
        <source>The central server is busy and asked to wait {seconds} seconds. Sync again later.</source>
        <translation>中心服务器繁忙，要求等待{seconds}秒。请稍后重新同步。</translation>
    </message>
    <message>
        <source>The server rejected this workstation&apos;s credentials ({detail}). Ask IT to enrol the workstation again with fpcert-desktop enrol.</source>
        <translation>服务器拒绝了本机的登记凭据（{detail}）。请技术人员用 fpcert-desktop enrol 重新登记本机。</translation>
    </message>
    <message>
        <source>The server rejected the clerk session ({detail}). Log in with the e-key again, then send the records again.</source>
        <translation>服务器拒绝了打证员会话（{detail}）。请用电子密钥重新登录，然后重新发送记录。</translation>
    </message>
    <message>
        <source>The server refused the request because it is outside this office&apos;s jurisdiction ({detail}). Ask IT to check the office of this workstation and of the user.</source>
        <translation>该请求超出本单位管辖范围，服务器已拒绝（{detail}）。请技术人员检查本机和该用户所属的单位。</translation>
    </message>
    <message>
        <source>The server rejected the request (HTTP {status}: {detail}). Ask IT to check that the program and the server are the same version.</source>
        <translation>服务器拒绝了该请求（HTTP {status}：{detail}）。请技术人员检查本程序与服务器的版本是否一致。</translation>
    </message>
    <message>
        <source>The server sent a response this program cannot read: {error}. Ask IT to check that the program and the server are the same version.</source>
        <translation>服务器返回了本程序无法识别的内容：{error}。请技术人员检查本程序与服务器的版本是否一致。</translation>
    </message>
    <message>
        <source>The server rejected the enrolment code: it is unknown, already used, expired or for another office than {office}. Ask the server administrator for a new enrolment code for office {office}, then run fpcert-desktop enrol again.</source>
        <translation>服务器拒绝了该登记码：登记码不存在、已被使用、已过期，或不属于单位{office}。请向服务器管理员申请单位{office}的新登记码，然后重新运行 fpcert-desktop enrol。</translation>
    </message>
    <message>
        <source>The server already has a workstation {workstation} in office {office}. Choose another --workstation code, or ask the server administrator about the old one.</source>
        <translation>服务器上单位{office}已有工作站{workstation}。请换一个 --workstation 工作站代码，或向服务器管理员询问原有的工作站。</translation>
    </message>
    <message>
        <source>The central server at {url} could not be reached. Check the network cable, that the server is running and that server_url in the configuration file is correct, then run fpcert-desktop enrol again.</source>
        <translation>无法连接位于{url}的中心服务器。请检查网线、服务器是否正在运行，以及配置文件中的 server_url 是否正确，然后重新运行 fpcert-desktop enrol。</translation>
    </message>
    <message>
        <source>The central server at {url} could not enrol this workstation now (HTTP {status}). Run fpcert-desktop enrol again later; if it keeps happening, ask the server administrator to check the server.</source>
        <translation>位于{url}的中心服务器目前无法登记本机（HTTP {status}）。请稍后重新运行 fpcert-desktop enrol；如一直出现，请服务器管理员检查服务器。</translation>
    </message>
    <message>
        <source>This workstation is not enrolled with the central server. Ask IT to run fpcert-desktop enrol with the enrolment code.</source>
        <translation>本机尚未在中心服务器登记。请技术人员用登记码运行 fpcert-desktop enrol。</translation>
    </message>
    <message>
        <source>The central server knows this e-key as user {server_user}, but this workstation knows it as user {local_user}. Nothing was sent. Ask IT to register the clerk on the server with the same user, then synchronize again.</source>
        <translation>中心服务器将此电子密钥登记为用户{server_user}，本机登记为用户{local_user}，两者不一致，未发送任何记录。请技术人员在服务器上按同一用户登记该打证员，然后重新同步。</translation>
    </message>
    <message>
        <source>The e-key could not sign the server&apos;s challenge: {error}. The data was pulled, but nothing was sent. Check that the e-key is inserted, then synchronize again.</source>
        <translation>电子密钥未能对服务器的质询签名：{error}。数据已接收，但未发送任何记录。请检查电子密钥已插入，然后重新同步。</translation>
    </message>
    <message>
        <source>The e-key&apos;s certificate of this session is not known. The data was pulled, but nothing was sent. Log out, log in again with the e-key, then synchronize again.</source>
        <translation>本次登录的电子密钥数字证书不明。数据已接收，但未发送任何记录。请退出登录，用电子密钥重新登录，然后重新同步。</translation>
    </message>
    <message>
        <source>Synchronization finished: {pulled} records pulled in {pages} pages, {sent} records sent. The population data is as of {as_of}.</source>
        <translation>同步完成：分{pages}页接收{pulled}条记录，发送{sent}条记录。人口数据截至{as_of}。</translation>
    </message>
    <message>
        <source>The server rejected {count} records; they stay on this computer with the server&apos;s reason. Ask IT to check them.</source>
        <translation>服务器拒收{count}条记录，这些记录连同服务器给出的原因保留在本机。请技术人员检查。</translation>
    </message>
    <message>
        <source>{count} pulled records were not applied and are kept in the quarantine table; ask IT to check them.</source>
        <translation>接收的记录中有{count}条未能应用，已保存在隔离表中；请技术人员检查。</translation>
    </message>
    <message>
        <source>{count} records of other clerks wait until they synchronize in their own session.</source>
        <translation>其他打证员的{count}条记录待其本人登录同步时发送。</translation>
    </message>
</context>
<context>
    <name>SyncCommand</name>
    <message>
        <source>Workstation enrolled as {workstation_id}. Its secret is stored in {store}.</source>
        <translation>本机已登记，编号为{workstation_id}。其密钥保存在{store}中。</translation>
    </message>
    <message>
        <source>the file {path}</source>
        <translation>文件{path}</translation>
    </message>
    <message>
        <source>the system keyring ({backend})</source>
        <translation>系统密钥环（{backend}）</translation>
    </message>
    <message>
        <source>No central server is configured. Set server_url in the configuration file, then run fpcert-desktop enrol again.</source>
        <translation>未设置中心服务器。请在配置文件中设置 server_url，然后重新运行 fpcert-desktop enrol。</translation>
    </message>
    <message>
        <source>The value {value} of {option} is invalid: it should be {expected}. Correct it and run fpcert-desktop enrol again. Nothing was sent to the server.</source>
        <translation>{option} 的值{value}无效，应为：{expected}。请改正后重新运行 fpcert-desktop enrol。未向服务器发送任何内容。</translation>
    </message>
    <message>
        <source>6, 9 or 12 digits</source>
        <translation>6位、9位或12位数字</translation>
    </message>
    <message>
        <source>{stream}: {upserted} updated, {deleted} deleted, {quarantined} quarantined; data as of {as_of}</source>
        <translation>{stream}：更新{upserted}条，删除{deleted}条，隔离{quarantined}条；数据截至{as_of}</translation>
    </message>
    <message>
        <source>offices</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>institutions</source>
        <translation>技术服务机构</translation>
    </message>
    <message>
        <source>policies</source>
        <translation>政策文件</translation>
    </message>
    <message>
        <source>population data</source>
        <translation>人口数据</translation>
    </message>
    <message>
        <source>problem list</source>
        <translation>问题名单</translation>
    </message>
    <message>
        <source>{count} records were not applied and are kept in the quarantine table; ask IT to check them.</source>
        <translation>有{count}条记录未能应用，已保存在隔离表中；请技术人员检查。</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Connecting to the central server…</source>
        <translation>正在连接中心服务器…</translation>
    </message>
    <message>
        <source>Synchronize</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Receiving {stream}: {records} records in {pages} pages</source>
        <translation>正在接收{stream}：{pages}页共{records}条记录</translation>
    </message>
    <message>
        <source>Sending {stream}: {records} records in {pages} batches</source>
        <translation>正在发送{stream}：{pages}批共{records}条记录</translation>
    </message>
    <message>
        <source>No central server</source>
        <translation>未设置中心服务器</translation>
    </message>
    <message>
        <source>Data as of: never synchronized</source>
        <translation>数据截至：从未同步</translation>
    </message>
    <message>
        <source>Data as of {time} (China time)</source>
        <translation>数据截至{time}（北京时间）</translation>
    </message>
    <message>
        <source>offices</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>institutions</source>
        <translation>技术服务机构</translation>
    </message>
    <message>
        <source>policies</source>
        <translation>政策文件</translation>
    </message>
    <message>
        <source>population data</source>
        <translation>人口数据</translation>
    </message>
    <message>
        <source>problem list</source>
        <translation>问题名单</translation>
    </message>
    <message>
        <source>certificates</source>
        <translation>计划生育证明</translation>
    </message>
    <message>
        <source>voided certificates</source>
        <translation>作废证明</translation>
    </message>
    <message>
        <source>reprints</source>
        <translation>重打记录</translation>
    </message>
    <message>
        <source>correction referrals</source>
        <translation>信息更正转办</translation>
    </message>
    <message>
        <source>audit trail</source>
        <translation>审计记录</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>公民身份号码</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>现居住地</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>证明用途</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Print attempts</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>重打次数</translation>
    </message>
    <message>
        <source>Void reason</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Listed on</source>
        <translation>列入日期</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈情况</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Removed on</source>
        <translation>移出日期</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>核实情况</translation>
    </message>
    <message>
        <source>Sent on</source>
        <translation>转办日期</translation>
    </message>
    <message>
        <source>Responsible office</source>
        <translation>承办单位</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>不符项目</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>出具日期</translation>
    </message>
    <message>
        <source>May be disposed of after</source>
        <translation>保存期满日</translation>
    </message>
</context>
<context>
    <name>TrustCli</name>
    <message>
        <source>The file {path} could not be read: {error}. Check the path and the file&apos;s permissions.</source>
        <translation>无法读取文件{path}：{error}。请检查路径和文件权限。</translation>
    </message>
    <message>
        <source>The file {path} holds no X.509 certificate in PEM or DER form. Ask the city&apos;s information centre for the CA certificate file.</source>
        <translation>文件{path}中没有PEM或DER格式的X.509证书。请向市信息中心索取CA证书文件。</translation>
    </message>
    <message>
        <source>The file {path} holds {count} certificates. Give one CA certificate per command.</source>
        <translation>文件{path}中有{count}个证书。每条命令只能导入一个CA证书。</translation>
    </message>
    <message>
        <source>The certificate {subject} in {path} is not a CA certificate (its basic constraints do not say CA). Use the city CA&apos;s certificate, not a clerk&apos;s.</source>
        <translation>{path}中的证书{subject}不是CA证书（其基本约束未标明CA）。请使用市级CA证书，而不是打证员的证书。</translation>
    </message>
    <message>
        <source>The CA certificate {subject} is valid from {not_before} to {not_after}, not now. Check the computer&apos;s clock, or ask for the current CA certificate.</source>
        <translation>CA证书{subject}的有效期为{not_before}至{not_after}，当前不在有效期内。请检查电脑时钟，或索取现行的CA证书。</translation>
    </message>
    <message>
        <source>The fingerprint {given} is not a SHA-256 fingerprint: write 64 hexadecimal digits, with or without colons.</source>
        <translation>指纹{given}不是SHA-256指纹：请填写64位十六进制数字，可带冒号。</translation>
    </message>
    <message>
        <source>The certificate&apos;s SHA-256 fingerprint is {actual}, not the published {given}. The file is not the city CA&apos;s certificate: do not trust it, and ask the information centre for the right file.</source>
        <translation>该证书的SHA-256指纹为{actual}，与公布的{given}不符。此文件不是市级CA证书：请勿信任，并向信息中心索取正确的文件。</translation>
    </message>
    <message>
        <source>Trusted the city CA {subject} (SHA-256 {fingerprint}), valid until {not_after}. Signing keys it certified are accepted from the next synchronisation on.</source>
        <translation>已信任市级CA {subject}（SHA-256 {fingerprint}），有效期至{not_after}。从下次同步起，接受由其签发的签名密钥。</translation>
    </message>
    <message>
        <source>No city CA is trusted yet. Add one with: fpcert-desktop trust-ca FILE --fingerprint SHA256</source>
        <translation>尚未信任任何市级CA。请用以下命令添加：fpcert-desktop trust-ca 文件 --fingerprint SHA256指纹</translation>
    </message>
    <message>
        <source>{subject}  SHA-256 {fingerprint}  valid until {not_after}</source>
        <translation>{subject}  SHA-256 {fingerprint}  有效期至{not_after}</translation>
    </message>
    <message>
        <source>Give the CA certificate file and its published fingerprint (trust-ca FILE --fingerprint SHA256), or --list.</source>
        <translation>请给出CA证书文件及其公布的指纹（trust-ca 文件 --fingerprint SHA256指纹），或使用 --list。</translation>
    </message>
</context>
<context>
    <name>UserChange</name>
    <message>
        <source>the person who leaves</source>
        <translation>离职人员</translation>
    </message>
    <message>
        <source>the new person</source>
        <translation>新换人员</translation>
    </message>
    <message>
        <source>the person</source>
        <translation>该人员</translation>
    </message>
    <message>
        <source>Choose the unit (单位) the person works at; it must be your office or an office below it.</source>
        <translation>请选择该人员所在的单位，须为本单位或下级单位。</translation>
    </message>
    <message>
        <source>The unit name has more than {limit} characters. Shorten it.</source>
        <translation>单位名称超过 {limit} 个字，请缩短。</translation>
    </message>
    <message>
        <source>Enter the name of {who}.</source>
        <translation>请输入{who}的姓名。</translation>
    </message>
    <message>
        <source>The name of {who} contains digits or symbols, or has more than {limit} characters. Type the name as on the ID card.</source>
        <translation>{who}的姓名含有数字或符号，或超过 {limit} 个字。请按身份证上的姓名输入。</translation>
    </message>
    <message>
        <source>ID number of {who}: {problem}</source>
        <translation>{who}的身份证号：{problem}</translation>
    </message>
    <message>
        <source>Choose the role of {who}.</source>
        <translation>请选择{who}的角色。</translation>
    </message>
    <message>
        <source>Enter the contact phone number of {who}.</source>
        <translation>请输入{who}的联系电话。</translation>
    </message>
    <message>
        <source>The phone number of {who}, {phone}, is neither an 11-digit mobile number starting with 1 nor a fixed-line number of 7 or 8 digits (an area code such as 0755- may come first). Check the number and type it again.</source>
        <translation>{who}的联系电话 {phone} 既不是以 1 开头的 11 位手机号码，也不是 7 位或 8 位的固定电话号码（前面可加区号，如 0755-）。请核对后重新输入。</translation>
    </message>
    <message>
        <source>Choose the change type.</source>
        <translation>请选择变更类型。</translation>
    </message>
    <message>
        <source>A replacement (离职换人) names the person who leaves and the new person. Fill in the new person&apos;s name, ID number, role and phone number.</source>
        <translation>离职换人须填写离职人员和新换人员。请填写新换人员的姓名、身份证号、角色和联系电话。</translation>
    </message>
    <message>
        <source>Only a replacement (离职换人) has a new person. Clear the new person&apos;s fields or choose the change type 离职换人.</source>
        <translation>只有离职换人才填写新换人员。请清空新换人员各栏，或把变更类型改为离职换人。</translation>
    </message>
    <message>
        <source>The person who leaves and the new person have the same ID number {masked}. A key change of the same person is 更换密钥.</source>
        <translation>离职人员和新换人员的身份证号相同（{masked}）。同一人更换电子密钥请选择“更换密钥”。</translation>
    </message>
    <message>
        <source>A new window (新增窗口) needs the window&apos;s workstation code, such as 03.</source>
        <translation>新增窗口须填写该窗口的窗口编号，如 03。</translation>
    </message>
    <message>
        <source>The workstation code {code} is not 2 to 4 digits or capital letters. Type it as on the window&apos;s configuration, such as 03.</source>
        <translation>窗口编号 {code} 不是 2 至 4 位数字或大写字母。请按该窗口的配置输入，如 03。</translation>
    </message>
    <message>
        <source>The remarks have more than {limit} characters. Shorten them.</source>
        <translation>备注超过 {limit} 个字，请缩短。</translation>
    </message>
    <message>
        <source>{name} has an active e-key that the last filed form did not list.</source>
        <translation>{name}持有有效的电子密钥，上次上报的变更表中没有此人。</translation>
    </message>
    <message>
        <source>Workstation {workstation} of {unit} was not on the last filed form.</source>
        <translation>{unit}的 {workstation} 号窗口不在上次上报的变更表中。</translation>
    </message>
    <message>
        <source>{name} logs in with a different e-key certificate than on the last form.</source>
        <translation>{name}登录所用的电子密钥证书与上次上报时不同。</translation>
    </message>
    <message>
        <source>{old} was deactivated and {new} is active at the same office and window.</source>
        <translation>{old}已停用，{new}在同一单位、同一窗口启用。</translation>
    </message>
</context>
<context>
    <name>UserChangeDialog</name>
    <message>
        <source>choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>Row of the user change form</source>
        <translation>用户变更表记录</translation>
    </message>
    <message>
        <source>Change &amp;type:</source>
        <translation>变更类型(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>单位(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Workstation code:</source>
        <translation>窗口编号(&amp;W)：</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;ID number:</source>
        <translation>身份证号(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>联系电话(&amp;P)：</translation>
    </message>
    <message>
        <source>New person (only for 离职换人)</source>
        <translation>新换人员（仅离职换人填写）</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>姓名(&amp;A)：</translation>
    </message>
    <message>
        <source>I&amp;D number:</source>
        <translation>身份证号(&amp;D)：</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>角色(&amp;O)：</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>联系电话(&amp;H)：</translation>
    </message>
    <message>
        <source>Re&amp;marks:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>UserChanges</name>
    <message>
        <source>Only the administrator of a district or street office may fill in the user change form. Ask your office&apos;s administrator.</source>
        <translation>只有区、街道的管理员才能填写用户变更表。请联系本单位管理员。</translation>
    </message>
    <message>
        <source>The unit {unit} is not your office or an office below it. Each administrator reports the staff of its own level and the levels below; the office above or beside yours reports its own staff.</source>
        <translation>单位“{unit}”不是本单位或下级单位。各级管理员只上报本级及下级使用人员的变动，上级或同级其他单位的人员由该单位自行上报。</translation>
    </message>
    <message>
        <source>The ID number {id_number} is already on row {row} of this form under the name {other}, not {name}. Correct the ID number or the name so that one person has one name.</source>
        <translation>公民身份号码{id_number}已在本表第{row}行，姓名为{other}，而不是{name}。请改正公民身份号码或姓名，使同一人只用一个姓名。</translation>
    </message>
    <message>
        <source>Row {row} of the user change form was not found. Refresh the list.</source>
        <translation>用户变更表中找不到第 {row} 条记录，请刷新列表。</translation>
    </message>
    <message>
        <source>Row {row} was already filed on an exported form and cannot be changed. Record a new row.</source>
        <translation>第 {row} 条记录已随导出的变更表上报，不能再修改。请另行录入一条。</translation>
    </message>
    <message>
        <source>Row {row} belongs to the form of office {office}, not yours, so you may not change it.</source>
        <translation>第 {row} 条记录属于单位 {office} 的变更表，不属于本单位，不能修改。</translation>
    </message>
    <message>
        <source>Enter the name of the person filling in the form (填表人), at most {limit} characters.</source>
        <translation>请输入填表人姓名，最多 {limit} 个字。</translation>
    </message>
    <message>
        <source>The form has no rows. Record the changes, or accept proposals from the registry, before exporting.</source>
        <translation>变更表中还没有记录。请先录入变更，或采纳根据用户登记生成的建议，再导出。</translation>
    </message>
    <message>
        <source>The file {path} could not be written ({problem}). Choose another folder, for example the desktop, and export again.</source>
        <translation>无法写入文件 {path}（{problem}）。请另选文件夹（如桌面）后重新导出。</translation>
    </message>
</context>
<context>
    <name>UserChangesPage</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Change type</source>
        <translation>变更类型</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新换人员</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>User chan&amp;ge form</source>
        <translation>用户变更表(&amp;G)</translation>
    </message>
    <message>
        <source>Export the user change form</source>
        <translation>导出用户变更表</translation>
    </message>
    <message>
        <source>Excel 97-2003 workbook (*.xls)</source>
        <translation>Excel 97-2003 工作簿 (*.xls)</translation>
    </message>
    <message>
        <source>Saved {lines} lines to {path}. Send the file to the city commission (市卫人委); the rows are now filed.</source>
        <translation>已将 {lines} 行保存到 {path}。请把该文件报送市卫人委；这些记录已标记为已上报。</translation>
    </message>
    <message>
        <source>Choose a row first.</source>
        <translation>请先选中一条记录。</translation>
    </message>
    <message>
        <source>{count} rows not yet filed.</source>
        <translation>尚有 {count} 条记录未上报。</translation>
    </message>
    <message>
        <source>{count} proposals: accept each one to fill in and record it.</source>
        <translation>共 {count} 条建议：逐条点“采纳”，补全后录入。</translation>
    </message>
    <message>
        <source>The registry shows no change since the last filed form.</source>
        <translation>自上次上报以来，用户登记没有变化。</translation>
    </message>
    <message>
        <source>User change form</source>
        <translation>用户变更表</translation>
    </message>
    <message>
        <source>Rows of the user change form (用户变更表) for your office and the offices below it. Export sends nothing: send the exported file to the city commission.</source>
        <translation>本单位及下级单位的用户变更表记录。导出不会自动上报，请把导出的文件报送市卫人委。</translation>
    </message>
    <message>
        <source>&amp;Add row…</source>
        <translation>录入(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit row…</source>
        <translation>修改(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Remove row</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Proposals from the user and e-key registry</source>
        <translation>根据用户及电子密钥登记生成的建议</translation>
    </message>
    <message>
        <source>&amp;Propose from registry</source>
        <translation>根据登记生成建议(&amp;P)</translation>
    </message>
    <message>
        <source>A&amp;ccept…</source>
        <translation>采纳(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Drop</source>
        <translation>舍弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Filled in by (填表人):</source>
        <translation>填表人(&amp;F)：</translation>
    </message>
    <message>
        <source>E&amp;xport .xls…</source>
        <translation>导出 .xls(&amp;X)…</translation>
    </message>
</context>
<context>
    <name>Verification</name>
    <message>
        <source>Genuine and valid</source>
        <translation>真实有效</translation>
    </message>
    <message>
        <source>Genuine, but VOIDED: do not accept it</source>
        <translation>证明真实，但已作废：请勿受理</translation>
    </message>
    <message>
        <source>Genuine, but EXPIRED: do not accept it</source>
        <translation>证明真实，但已过期：请勿受理</translation>
    </message>
    <message>
        <source>NOT GENUINE: do not accept it</source>
        <translation>不是真实证明：请勿受理</translation>
    </message>
    <message>
        <source>Could not be read: scan again</source>
        <translation>无法读取：请重新扫描</translation>
    </message>
    <message>
        <source>Could not be checked</source>
        <translation>无法核验</translation>
    </message>
    <message>
        <source>Server status only (no QR code checked): {status}</source>
        <translation>仅服务器状态（未核验二维码）：{status}</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>not known to the server</source>
        <translation>服务器无此记录</translation>
    </message>
    <message>
        <source>Scan the QR code on the certificate, or type its number (such as 440304001003-01-2026-000042).</source>
        <translation>请扫描证明上的二维码，或输入证明编号（例如 440304001003-01-2026-000042）。</translation>
    </message>
    <message>
        <source>The input is neither a verification code nor a certificate number. Scan the QR code again, or type the number printed at the top right of the certificate.</source>
        <translation>输入的内容既不是核验码，也不是证明编号。请重新扫描二维码，或输入证明右上角印的编号。</translation>
    </message>
    <message>
        <source>The ID number typed from the ID card is invalid: {reason}</source>
        <translation>按身份证输入的公民身份号码无效：{reason}</translation>
    </message>
    <message>
        <source>The code was signed with a key that is not in this computer&apos;s registry of clerks&apos; keys. Synchronize and scan again; if it stays unknown, the certificate is forged.</source>
        <translation>签署该核验码的密钥不在本机的打证员密钥登记表中。请更新签名密钥后重新扫描；如仍无法识别，该证明为伪造。</translation>
    </message>
    <message>
        <source>The signing key&apos;s certificate was not issued by the city&apos;s certificate authority.</source>
        <translation>签名密钥的数字证书不是由市级证书机构签发的。</translation>
    </message>
    <message>
        <source>The signature does not match the code&apos;s content, so the code was altered.</source>
        <translation>签名与核验码内容不符，说明核验码已被篡改。</translation>
    </message>
    <message>
        <source>The signing key was revoked. Ask the issuing office whether the certificate stands.</source>
        <translation>签名密钥已被注销。请向出具单位核实该证明是否仍然有效。</translation>
    </message>
    <message>
        <source>The issue date {issued_on} lies outside the signing key&apos;s validity ({start} to {end}).</source>
        <translation>开具日期 {issued_on} 不在签名密钥的有效期（{start} 至 {end}）之内。</translation>
    </message>
    <message>
        <source>The signing clerk is registered at another office ({office}) now. A clerk who moved keeps the certificates signed before; if in doubt, ask the issuing office.</source>
        <translation>签名打证员目前登记在其他单位（{office}）。打证员调动后，调动前签发的证明仍然有效；如有疑问，请向出具单位核实。</translation>
    </message>
    <message>
        <source>The certificate was valid until {valid_until}.</source>
        <translation>该证明的有效期至 {valid_until}。</translation>
    </message>
    <message>
        <source>The central server reports that the certificate was voided.</source>
        <translation>中心服务器显示该证明已作废。</translation>
    </message>
    <message>
        <source>The central server reports that the certificate has expired.</source>
        <translation>中心服务器显示该证明已过期。</translation>
    </message>
    <message>
        <source>The central server does not know this number yet: the issuing office may not have synchronized since printing it.</source>
        <translation>中心服务器尚无此编号的记录：出具单位可能在打印后尚未同步。</translation>
    </message>
    <message>
        <source>The central server&apos;s record differs from the signed code ({field}). Ask the issuing office.</source>
        <translation>中心服务器的记录与核验码中签名的内容不一致（{field}）。请向出具单位核实。</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>issue date</source>
        <translation>开具日期</translation>
    </message>
    <message>
        <source>issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <source>The current status could not be checked with the central server. {error} The signature was checked offline, but a certificate voided since printing would not show.</source>
        <translation>未能向中心服务器查询当前状态。{error}签名已离线核验，但打印后被作废的证明在此无法显示。</translation>
    </message>
    <message>
        <source>A typed number can only be checked with the central server, which could not be reached. {error} Scan the QR code instead, or try again later.</source>
        <translation>输入的编号只能向中心服务器查询，但目前无法连接中心服务器。{error}请改为扫描二维码，或稍后再试。</translation>
    </message>
    <message>
        <source>No central server is configured, so the current status (voided or not) was not checked. The signature was checked offline.</source>
        <translation>未配置中心服务器，因此未查询当前状态（是否作废）。签名已离线核验。</translation>
    </message>
    <message>
        <source>A typed number can only be checked with the central server, and no central server is configured on this computer. Scan the QR code instead, or ask IT to set server_url.</source>
        <translation>输入的编号只能向中心服务器查询，但本机未配置中心服务器。请改为扫描二维码，或请技术人员设置 server_url。</translation>
    </message>
    <message>
        <source>Only the number was checked, not the paper: a forged copy with a real number would pass. Scan the QR code to check the certificate itself.</source>
        <translation>只核对了编号，没有核验纸质证明本身：使用真实编号的伪造件也会通过。请扫描二维码核验证明本身。</translation>
    </message>
    <message>
        <source>The ID number matches the certificate&apos;s holder.</source>
        <translation>公民身份号码与证明持有人一致。</translation>
    </message>
    <message>
        <source>The ID number does NOT match: this certificate was issued to someone else.</source>
        <translation>公民身份号码不一致：该证明是开给他人的。</translation>
    </message>
</context>
<context>
    <name>VerifyPage</name>
    <message>
        <source>&amp;Verify certificate</source>
        <translation>核验证明(&amp;V)</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Updating the signing keys…</source>
        <translation>正在更新签名密钥…</translation>
    </message>
    <message>
        <source>ID number does NOT match: do not accept it</source>
        <translation>公民身份号码不一致：请勿受理</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>未能核验</translation>
    </message>
    <message>
        <source>Certificate check</source>
        <translation>证明核验结果</translation>
    </message>
    <message>
        <source>ID number checked</source>
        <translation>核对的公民身份号码</translation>
    </message>
    <message>
        <source>Certificate number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>开具日期</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <source>Signed by clerk</source>
        <translation>签名打证员</translation>
    </message>
    <message>
        <source>no end date</source>
        <translation>长期有效</translation>
    </message>
    <message>
        <source>{stored} signing keys updated; {rejected} rejected (not from the city CA).</source>
        <translation>已更新 {stored} 个签名密钥；拒收 {rejected} 个（非市级证书机构签发）。</translation>
    </message>
    <message>
        <source>The signing keys could not be updated: {error}</source>
        <translation>签名密钥未能更新：{error}</translation>
    </message>
    <message>
        <source>{count} signing keys known.</source>
        <translation>本机已有 {count} 个签名密钥。</translation>
    </message>
    <message>
        <source>No signing keys are known yet, so every code shows as not genuine. Press Update signing keys.</source>
        <translation>本机尚无签名密钥，所有核验码都会显示为不真实。请按“更新签名密钥”。</translation>
    </message>
    <message>
        <source>Verify a certificate</source>
        <translation>核验证明</translation>
    </message>
    <message>
        <source>Scan the QR code in the lower left corner of the certificate, or type the certificate number and press Enter. Then type the ID number from the applicant&apos;s ID card and press Enter to check that the certificate is theirs. The ID number field empties after each check, and the next scan clears the previous result.</source>
        <translation>扫描证明左下角的二维码，或输入证明编号后按回车。然后按申请人身份证输入公民身份号码并按回车，核对该证明是否属于本人。每次核验后身份证号码框自动清空，扫描下一份证明时上一次的结果也随之清除。</translation>
    </message>
    <message>
        <source>&amp;Code or number:</source>
        <translation>核验码或编号(&amp;C)：</translation>
    </message>
    <message>
        <source>Scan the QR code here</source>
        <translation>在此扫描二维码</translation>
    </message>
    <message>
        <source>&amp;ID number on the ID card:</source>
        <translation>身份证上的公民身份号码(&amp;I)：</translation>
    </message>
    <message>
        <source>Optional: 18 characters</source>
        <translation>可选：18 位</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>核验(&amp;V)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Update signing keys</source>
        <translation>更新签名密钥(&amp;U)</translation>
    </message>
</context>
</TS>
