# make.py: writes the messages of this folder (NAME.eml) and what each must
# parse to (NAME.json). Written by hand, no real mail; encodings (base64,
# ISO-2022-JP, Shift_JIS) are made here so that the files stay exact.
# Run: python3 tests/data/mail/make.py
import base64, json, quopri, os, random
D=os.path.dirname(os.path.abspath(__file__))
def w(name, eml, exp, crlf=True):
    if isinstance(eml, str): eml = eml.encode('utf-8')
    if crlf: eml = eml.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    open(f'{D}/{name}.eml','wb').write(eml)
    open(f'{D}/{name}.json','w').write(json.dumps(exp, ensure_ascii=False, indent=1)+'\n')
def b64(s, cs='utf-8'): return base64.b64encode(s.encode(cs) if isinstance(s,str) else s).decode()
def b64lines(b):
    e=base64.b64encode(b).decode(); return '\n'.join(e[i:i+76] for i in range(0,len(e),76))

# 1 plain UTF-8, 8bit
w('plain-utf8', f'''Return-Path: <finder@example.org>
From: "Hanako Yamada (finder)" <Hanako.Yamada@Example.ORG>
To: Security Team <security@example.jp>
Subject: =?UTF-8?B?{b64("脆弱性の報告")}?=
Date: Tue, 01 Dec 2026 10:00:00 +0900
Message-ID: <20261201100000.1@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

ログイン画面に SQL インジェクションがあります。
Line two.
''', {"result":"ok","subject":"脆弱性の報告","from":"hanako.yamada@example.org","from_name":"Hanako Yamada (finder)",
 "recipients":["security@example.jp"],"message_id":"<20261201100000.1@mail.example.org>","date":"Tue, 01 Dec 2026 10:00:00 +0900",
 "in_reply_to":None,"auto_submitted":None,"content_type":"text/plain",
 "text":"ログイン画面に SQL インジェクションがあります。\r\nLine two.\r\n","pgp":"none","is_dsn":False,"incomplete":False})

# 2 quoted-printable
body='Résumé of the issue: a=b must be checked, and the line is long enough to need a soft line break here.\n日本語も。\n'
qp=quopri.encodestring(body.encode()).decode()
w('quoted-printable', f'''From: reporter@example.net
To: security@example.jp
Subject: =?iso-8859-1?q?R=E9sum=E9?= of the issue
Message-ID: <qp.1@example.net>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

{qp}''', {"result":"ok","subject":"Résumé of the issue","from":"reporter@example.net","from_name":None,
 "text":body.replace('\n','\r\n'),"pgp":"none","is_dsn":False})

# 3 base64 with junk whitespace
body='Base64 body: 再現手順\n1. open /login\n2. enter \' OR 1=1 --\n'
enc=b64lines(body.encode())
enc=enc[:40]+' \t'+enc[40:]  # blanks inside are skipped
w('base64', f'''From: Taro <taro@example.net>
To: security@example.jp, "Second" <second@example.jp>
Cc: cc@example.jp
Subject: base64 body
Message-ID: <b64.1@example.net>
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: BASE64

{enc}
''', {"result":"ok","subject":"base64 body","from":"taro@example.net","from_name":"Taro",
 "recipients":["security@example.jp","second@example.jp","cc@example.jp"],"text":body,"pgp":"none"})

# 4 ISO-2022-JP subject (split over two words) and body, with NEC row 13 and half-width kana
subj='製品の脆弱性について（ご連絡）'
j=subj.encode('iso-2022-jp')
half=len('製品の脆弱性')
a=subj[:half].encode('iso-2022-jp'); bpart=subj[half:].encode('iso-2022-jp')
body_text='セキュリティ担当者様\n管理画面にクロスサイトスクリプティングの問題があります。\n'
jbody=body_text.encode('iso-2022-jp')
extra=b'\x1b$B-!\x1b(B \x1b(I6\x1b(B\n'  # (1) circled one (NEC row 13) and half-width ka
w('iso-2022-jp', b'From: =?ISO-2022-JP?B?' + base64.b64encode('山田'.encode('iso-2022-jp')) + b'?= <yamada@example.co.jp>\nTo: security@example.jp\nSubject: =?ISO-2022-JP?B?' + base64.b64encode(a) + b'?=\n =?ISO-2022-JP?B?' + base64.b64encode(bpart) + b'?=\nMessage-ID: <jis.1@example.co.jp>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n' + jbody + extra,
 {"result":"ok","subject":subj,"from":"yamada@example.co.jp","from_name":"山田",
  "text":(body_text+'① ｶ\n').replace('\n','\r\n'),"pgp":"none"})

# 5 Shift_JIS (CP932: wave dash, circled numbers), 8bit, subject Q-encoded
body_text='お世話になっております。\n再現率：①〜③すべて\n'
sj=body_text.replace('〜','～').encode('cp932')
sq=''.join('=%02X'%c for c in 'ご報告'.encode('cp932'))
w('shift-jis', b'From: sato@example.co.jp\nTo: security@example.jp\nSubject: =?Shift_JIS?Q?' + sq.encode() + b'?=\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n' + sj,
 {"result":"ok","subject":"ご報告","from":"sato@example.co.jp","text":body_text.replace('〜','～').replace('\n','\r\n'),"pgp":"none"})

# 6 multipart/alternative
w('alternative', '''From: alt@example.net
To: security@example.jp
Subject: alternative
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_alt_1"

This is a multi-part message in MIME format.

--=_alt_1
Content-Type: text/plain; charset=us-ascii

The plain text.
--=_alt_1
Content-Type: text/html; charset=us-ascii

<html><body><p>The <b>HTML</b> text.</p></body></html>
--=_alt_1--
epilogue is ignored
''', {"result":"ok","content_type":"multipart/alternative","text":"The plain text.","pgp":"none","incomplete":False})

# 7 HTML only, entities, script, QP
html='<html><head><title>T</title><style>p{color:red}</style></head><body><p>Price &lt; 5 &amp; &quot;ok&quot;&nbsp;&#x3042;&#12356;</p><script>alert(1)</script><div>Second&hellip;</div></body></html>'
w('html-only', f'''From: html@example.net
To: security@example.jp
Subject: html only
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

{quopri.encodestring(html.encode()).decode()}''', {"result":"ok","content_type":"text/html",
 "text":"\nPrice < 5 & \"ok\"\u00a0あい\n\nSecond…\n","pgp":"none"})

# 8 nested: mixed > (alternative > plain, html), pdf, text attachment
pdf=b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
w('nested', f'''From: "Nest, Inc." <nest@example.com>
To: security@example.jp
Subject: nested
MIME-Version: 1.0
Content-Type: multipart/mixed;
 boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Body in the inner part=2E
--inner
Content-Type: text/html; charset=utf-8

<p>Body in the inner part.</p>
--inner--

--outer
Content-Type: application/pdf; name="poc.pdf"
Content-Disposition: attachment; filename="poc.pdf"
Content-Transfer-Encoding: base64

{b64lines(pdf)}
--outer
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="log.txt"

attached log, not the body
--outer--
''', {"result":"ok","from":"nest@example.com","from_name":"Nest, Inc.","content_type":"multipart/mixed",
 "text":"Body in the inner part.","pgp":"none","incomplete":False})

# 9 PGP/MIME (RFC 3156)
armor='''-----BEGIN PGP MESSAGE-----

hQEMA0Xk1p4pS3x2AQf/dGhpcyBpcyBub3QgcmVhbCBjaXBoZXJ0ZXh0IGJ1dCBh
cm1vcmVkIGxpa2UgaXQ=
=AbCd
-----END PGP MESSAGE-----'''
w('pgp-mime', f'''From: Encrypted Finder <enc@example.org>
To: security@example.jp
Subject: ...
MIME-Version: 1.0
Content-Type: multipart/encrypted;
	protocol="application/pgp-encrypted";
	boundary="pgp-b"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--pgp-b
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--pgp-b
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

{armor}

--pgp-b--
''', {"result":"ok","content_type":"multipart/encrypted","pgp":"mime","pgp_data":(armor+'\n').replace('\n','\r\n'),"text":None})

# 10 inline armored
w('inline-armor', f'''From: inline@example.org
To: security@example.jp
Subject: encrypted report
Content-Type: text/plain; charset=us-ascii

Please find my report below.

{armor}

Regards
''', {"result":"ok","pgp":"inline","pgp_data":armor.replace('\n','\r\n'),
 "text":("Please find my report below.\n\n"+armor+"\n\nRegards\n").replace('\n','\r\n')})

# 11 Postfix bounce
w('bounce-postfix', '''Return-Path: <>
Delivered-To: kk+abcdefghijklmnopqrst@example.jp
Received: by mx.example.jp (Postfix) id 4ABC; Wed,  2 Dec 2026 09:00:01 +0900 (JST)
Date: Wed,  2 Dec 2026 09:00:01 +0900 (JST)
From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: kk+abcdefghijklmnopqrst@example.jp
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4ABC.1764633601/mx.example.jp"
Message-Id: <20261202000001.4ABC@mx.example.jp>

This is a MIME-encapsulated message.

--4ABC.1764633601/mx.example.jp
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.jp.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<psirt@vendor.example>: host mail.vendor.example[192.0.2.10] said: 550 5.1.1
    <psirt@vendor.example>: Recipient address rejected: User unknown

--4ABC.1764633601/mx.example.jp
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.jp
X-Postfix-Queue-ID: 4ABC
X-Postfix-Sender: rfc822; kk+abcdefghijklmnopqrst@example.jp
Arrival-Date: Wed,  2 Dec 2026 09:00:00 +0900 (JST)

Final-Recipient: rfc822; PSIRT@vendor.example
Original-Recipient: rfc822;psirt@vendor.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.vendor.example
Diagnostic-Code: smtp; 550 5.1.1 <psirt@vendor.example>: Recipient address
    rejected: User unknown

--4ABC.1764633601/mx.example.jp
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <kk+abcdefghijklmnopqrst@example.jp>
From: Coordination <kk@example.jp>
To: psirt@vendor.example
Subject: [KK-2026-0001] Vulnerability notification
Message-ID: <kk.abcdefghijklmnopqrst@example.jp>
Date: Wed, 2 Dec 2026 09:00:00 +0900

--4ABC.1764633601/mx.example.jp--
''', {"result":"ok","is_dsn":True,"content_type":"multipart/report","from":"mailer-daemon@mx.example.jp","from_name":"Mail Delivery System",
 "recipients":["kk+abcdefghijklmnopqrst@example.jp"],"auto_submitted":"auto-replied",
 "dsn":[{"final_recipient":"psirt@vendor.example","action":"failed","status":"5.1.1",
   "diagnostic":"smtp; 550 5.1.1 <psirt@vendor.example>: Recipient address    rejected: User unknown"}],
 "dsn_message_id":"<kk.abcdefghijklmnopqrst@example.jp>","pgp":"none","incomplete":False})

# 12 Exim bounce (multipart/report, message/rfc822 returned), two recipients
w('bounce-exim', '''Return-path: <>
Envelope-to: kk+bbbbbbbbbbbbbbbbbbbb@example.jp
X-Failed-Recipients: admin@vendor2.example
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@relay.example.jp>
To: kk+bbbbbbbbbbbbbbbbbbbb@example.jp
References: <kk.bbbbbbbbbbbbbbbbbbbb@example.jp>
Content-Type: multipart/report; report-type=delivery-status; boundary=1764633700-eximdsn-1234
MIME-Version: 1.0
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1abc-0001@relay.example.jp>
Date: Wed, 02 Dec 2026 09:01:40 +0900

--1764633700-eximdsn-1234
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  admin@vendor2.example
    host mx.vendor2.example [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<admin@vendor2.example>:
    550 5.7.1 Relaying denied

--1764633700-eximdsn-1234
Content-type: message/delivery-status

Reporting-MTA: dns; relay.example.jp

Action: failed
Final-Recipient: rfc822;admin@vendor2.example
Status: 5.0.0
Remote-MTA: dns; mx.vendor2.example
Diagnostic-Code: smtp; 550 5.7.1 Relaying denied

Action: failed
Final-Recipient: rfc822;<Second@Vendor2.example>
Status: 5.1.2

--1764633700-eximdsn-1234
Content-type: message/rfc822

Return-path: <kk+bbbbbbbbbbbbbbbbbbbb@example.jp>
From: kk@example.jp
To: admin@vendor2.example, second@vendor2.example
Subject: Vulnerability notification
Message-ID: <kk.bbbbbbbbbbbbbbbbbbbb@example.jp>
Content-Type: text/plain; charset=utf-8

The notice body, which is not the bounce's text.

--1764633700-eximdsn-1234--
''', {"result":"ok","is_dsn":True,"from":"mailer-daemon@relay.example.jp","from_name":"Mail Delivery System",
 "references":"<kk.bbbbbbbbbbbbbbbbbbbb@example.jp>",
 "dsn":[{"final_recipient":"admin@vendor2.example","action":"failed","status":"5.0.0","diagnostic":"smtp; 550 5.7.1 Relaying denied"},
        {"final_recipient":"second@vendor2.example","action":"failed","status":"5.1.2","diagnostic":None}],
 "dsn_message_id":"<kk.bbbbbbbbbbbbbbbbbbbb@example.jp>",
 "text_starts":"This message was created automatically by mail delivery software."})

# 13 delayed DSN (LF line ends too? no, CRLF), Action upper-case
w('dsn-delayed', '''From: postmaster@relay.example.jp
To: kk+cccccccccccccccccccc@example.jp
Subject: Delayed Mail (still being retried)
Content-Type: multipart/report; report-type="Delivery-Status"; boundary="d"

--d
Content-Type: text/plain

Delivery is delayed.
--d
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.jp

Final-Recipient: RFC822; slow@vendor3.example
Action: Delayed
Status: 4.4.7 (delivery time expired)
Will-Retry-Until: Fri, 4 Dec 2026 09:00:00 +0900
--d
Content-Type: text/rfc822-headers

Message-ID:
 <kk.cccccccccccccccccccc@example.jp>
--d--
''', {"result":"ok","is_dsn":True,"text":"Delivery is delayed.",
 "dsn":[{"final_recipient":"slow@vendor3.example","action":"delayed","status":"4.4.7","diagnostic":None}],
 "dsn_message_id":"<kk.cccccccccccccccccccc@example.jp>"})

# 14 auto-reply
w('auto-reply', f'''From: =?UTF-8?Q?PSIRT_=E7=AA=93=E5=8F=A3?= <psirt@vendor.example>
To: kk+dddddddddddddddddddd@example.jp
Subject: =?UTF-8?B?{b64("自動応答:")}?= Re: [KK-2026-0002] notification
In-Reply-To: <kk.dddddddddddddddddddd@example.jp>
References: <first@example.jp>
	<kk.dddddddddddddddddddd@example.jp>
Auto-Submitted: auto-replied
X-Autoreply: yes
Content-Type: text/plain; charset=utf-8

I am out of the office until 7 December.
''', {"result":"ok","from":"psirt@vendor.example","from_name":"PSIRT 窓口","subject":"自動応答: Re: [KK-2026-0002] notification",
 "in_reply_to":"<kk.dddddddddddddddddddd@example.jp>","references":"<first@example.jp> <kk.dddddddddddddddddddd@example.jp>",
 "auto_submitted":"auto-replied","is_dsn":False,"text":"I am out of the office until 7 December.\r\n"})

# 15 no headers
w('no-headers', '''Hello, this is just text
without any header fields.
''', {"result":"invalid"})

# 16 binary junk
rnd=random.Random(11)
junk=bytes([0x89,0x50,0x4e,0x47,0x0d,0x0a,0x1a,0x0a,0,0,0,0x0d])+bytes(rnd.randrange(256) for _ in range(2000))
w('binary-junk', junk, {"result":"invalid"}, crlf=False)

# 17 300 parts
parts=''.join(f'--many\nContent-Type: text/plain\n\npart {i}\n' for i in range(300))
w('many-parts', f'''From: many@example.net
To: security@example.jp
Subject: 300 parts
Content-Type: multipart/mixed; boundary=many

{parts}--many--
''', {"result":"ok","text":"part 0","incomplete":True,"content_type":"multipart/mixed"})

# 18 deep nesting: 40 levels, the text at level 2 comes first
s='--b2\nContent-Type: text/plain\n\nshallow text\n'
nest=''
for d in range(40,2,-1):
    nest=f'Content-Type: multipart/mixed; boundary="b{d}"\n\n--b{d}\n{nest}\n--b{d}--\n' if nest else f'Content-Type: multipart/mixed; boundary="b{d}"\n\n--b{d}\nContent-Type: text/plain\n\ntoo deep\n--b{d}--\n'
w('deep-nesting', f'''From: deep@example.net
To: security@example.jp
Subject: deep
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: multipart/mixed; boundary="b2"

{s}--b2
{nest}
--b2--
--b1--
''', {"result":"ok","text":"shallow text","incomplete":True})

# 19 unterminated multipart: no closing boundary, the plain part is the last one
w('unterminated', '''From: cut@example.net
To: security@example.jp
Subject: cut short
Content-Type: multipart/mixed; boundary="cut"

--cut
Content-Type: application/octet-stream

xxxx
--cut
Content-Type: text/plain; charset=utf-8

The text of a message whose closing boundary never came
''', {"result":"ok","text":"The text of a message whose closing boundary never came\r\n","incomplete":True})

# 20 LF-only line ends, folded header, multipart
w('lf-only', '''From: lf@example.net
To: security@example.jp,
  other@example.jp
Subject: folded
 subject line
Content-Type: multipart/mixed;
  boundary="lf"

--lf
Content-Type: text/plain; charset=utf-8

LF only.
Second line.
--lf--
''', {"result":"ok","subject":"folded subject line","recipients":["security@example.jp","other@example.jp"],
 "text":"LF only.\nSecond line.","incomplete":False}, crlf=False)

# 21 addresses: groups, comments, quoted strings, route, undisclosed, bad words left as they are, RFC 2231 boundary
w('addresses', '''From: john.doe@EXAMPLE.org (John Doe)
To: "Doe, Jane \\"JD\\"" <Jane@Example.org>, Team: a@team.example, <@relay.example:b@team.example>;, undisclosed-recipients:;
Cc: not an address, x@y.example (Comment (nested))
X-Original-To: orig@example.jp
Subject: =?utf-8?X?bad?= and =?unknown-charset?Q?ok?= and =?utf-8?B?!!!?=
Content-Type: text/plain; charset*=utf-8''
''', {"result":"ok","from":"john.doe@example.org","from_name":"John Doe",
 "recipients":["jane@example.org","a@team.example","b@team.example","x@y.example","orig@example.jp"],
 "subject":"=?utf-8?X?bad?= and ok and =?utf-8?B?!!!?=","text":""})

# 22 RFC 2231 boundary continuation and charset parameter
w('rfc2231', '''From: p@example.net
To: security@example.jp
Subject: rfc 2231
Content-Type: multipart/mixed; boundary*0="abc"; boundary*1="def"

--abcdef
Content-Type: text/plain; charset*=''iso-8859-1

caf\xe9
--abcdef--
'''.encode('latin-1'), {"result":"ok","text":"café","incomplete":False})

