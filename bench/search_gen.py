#!/usr/bin/env python3
"""search_gen.py: the advisories of the search benchmark (bench/search.sh), made
from the real NVD records of ../shared/data/nvd (NVD JSON 1.1 feeds, public domain).

Usage: search_gen.py SHARED_DATA_DIR COUNT OUT.jsonl

Writes COUNT advisories, one JSON object a line:
  {"n", "cve", "published_at", "vendor": {"key", "en", "ja"}, "product",
   "content": the canonical content of advisory.h (both languages' 8 texts,
   cvss3, references, cves, cwes, cpes), "cvss3_tenths"}
in a fixed order, the same on every run (no randomness, no clock).

From each NVD record that is not rejected and names a vulnerable CPE: the CVE ID,
the publication date, the first vulnerable CPE's vendor and product (up to three
CPE names kept), the CWE numbers, the CVSS v3 vector and score (58,000 of the
records have one), the references, and the English description as the
description in English. The records are used in order, once, then again (a
second cycle, published 30 days later, the product named "PRODUCT 2") until COUNT
are written: 130,000 records give 200,000 advisories.

Japanese: NVD has none, so the Japanese texts are derived, deterministically,
the way JVN words an advisory: the title "PRODUCT における〈CWE〉の脆弱性" with the
CWE's Japanese name from JPCERT/CC's translation of the CWE-1003 view
(cwe/cwe-1003-ja.json; the first reading where it gives several) or, for a CWE
outside it, a short glossary by the CWE's kind (CWE_JA_EXTRA), or for a record
without a CWE one by words of its English description (KINDS: "SQL injection"
is SQLインジェクション), else "脆弱性"; the overview, description, impact and
countermeasures from a glossary of JVN's usual sentences chosen by the CVSS v3
metrics (attack vector, privileges, user interaction, the three impacts; the
v2 vector's where there is no v3) and by whether NVD names a fixed version. The
English overview, impact and countermeasures are the same sentences in English.
A few vendors well known in Japan get their Japanese names from a table.
"""
import glob
import gzip
import json
import os
import re
import sys
from datetime import datetime, timezone

# Japanese names of some vendors (for the vendor filter in Japanese).
VENDORS_JA = {
    'cybozu': 'サイボウズ', 'nec': '日本電気', 'fujitsu': '富士通', 'hitachi': '日立製作所',
    'toshiba': '東芝', 'buffalo': 'バッファロー', 'elecom': 'エレコム', 'iodata': 'アイ・オー・データ機器',
    'panasonic': 'パナソニック', 'sony': 'ソニー', 'canon': 'キヤノン', 'ricoh': 'リコー',
    'sharp': 'シャープ', 'yamaha': 'ヤマハ', 'mitsubishielectric': '三菱電機', 'omron': 'オムロン',
    'trendmicro': 'トレンドマイクロ', 'brother': 'ブラザー工業', 'epson': 'セイコーエプソン',
    'kyocera': '京セラ', 'konicaminolta': 'コニカミノルタ', 'contec': 'コンテック', 'allied_telesis': 'アライドテレシス',
    'microsoft': 'マイクロソフト', 'google': 'グーグル', 'apple': 'アップル', 'oracle': 'オラクル',
}

# CWE outside the CWE-1003 view: a Japanese name by kind.
CWE_JA_EXTRA = {
    16: '設定に関する問題', 17: 'コードの問題', 19: 'データ処理の問題', 264: '認可・権限・アクセス制御の問題',
    284: '不適切なアクセス制御', 310: '暗号の問題', 399: 'リソース管理の問題', 189: '数値処理の問題',
    255: '認証情報管理の問題', 254: 'セキュリティ機能の問題', 693: '保護機構の不備', 707: '不適切な無害化',
    1187: '初期化されていないリソースの使用', 74: 'インジェクション', 749: '危険なメソッドや関数の公開',
}

# Records without a CWE (most before 2009): the kind from the English description.
KINDS = [
    ('cross-site scripting', 'クロスサイトスクリプティング', 'cross-site scripting'),
    ('sql injection', 'SQLインジェクション', 'SQL injection'),
    ('cross-site request forgery', 'クロスサイトリクエストフォージェリ', 'cross-site request forgery'),
    ('directory traversal', 'ディレクトリトラバーサル', 'directory traversal'),
    ('remote file inclusion', 'リモートファイルインクルージョン', 'remote file inclusion'),
    ('buffer overflow', 'バッファオーバーフロー', 'buffer overflow'),
    ('integer overflow', '整数オーバーフロー', 'integer overflow'),
    ('format string', '書式文字列の問題', 'format string'),
    ('use-after-free', '解放済みメモリの使用', 'use-after-free'),
    ('null pointer', 'NULLポインタ参照', 'NULL pointer dereference'),
    ('denial of service', 'サービス運用妨害 (DoS)', 'denial of service'),
    ('obtain sensitive information', '情報漏えい', 'information disclosure'),
    ('bypass', 'セキュリティ機構の回避', 'security bypass'),
    ('execute arbitrary', '任意のコード実行', 'arbitrary code execution'),
]

AV_JA = {'N': '遠隔の第三者によって', 'A': '隣接ネットワーク上の第三者によって', 'L': 'ローカル環境で',
         'P': '物理的にアクセス可能な攻撃者によって'}
AV_EN = {'N': 'a remote attacker', 'A': 'an attacker on an adjacent network', 'L': 'a local attacker',
         'P': 'an attacker with physical access'}
IMPACT_JA = {'C': '情報を窃取される', 'I': '情報を改ざんされる', 'A': 'サービス運用妨害 (DoS) 状態にされる'}
IMPACT_EN = {'C': 'obtain sensitive information', 'I': 'alter information',
             'A': 'cause a denial-of-service (DoS) condition'}


def cwe_names(shared):
    """CWE number -> (Japanese name, English name) of the CWE-1003 view."""
    names = {}
    with open(os.path.join(shared, 'cwe', 'cwe-1003-ja.json'), encoding='utf-8') as f:
        view = json.load(f)['cwe-1003']
    for w in view['weaknesses']:
        ja = w['title']['ja'][0].split(' | ')[0].strip()
        ja = ja.replace('（', '(').replace('）', ')').replace('｜', '|')
        ja = re.sub(r'\(([^|()]*)(\|[^()]*)?\)', r'\1', ja)
        names[w['id']] = (ja, w['title']['en'][0].strip())
    return names


def words(cpe_part):
    """A CPE value read as words: "internet_explorer" -> "internet explorer"."""
    return cpe_part.replace('\\', '').replace('_', ' ')


def vulnerable_cpes(item):
    out = []

    def walk(nodes):
        for node in nodes:
            for m in node.get('cpe_match', []):
                if m.get('vulnerable'):
                    out.append(m)
            walk(node.get('children', []))
    walk(item.get('configurations', {}).get('nodes', []))
    return out


def records(shared):
    """The usable NVD records, in file and feed order."""
    for path in sorted(glob.glob(os.path.join(shared, 'nvd', 'nvdcve-1.1-*.json.gz'))):
        with gzip.open(path, 'rt', encoding='utf-8') as f:
            feed = json.load(f)
        for item in feed['CVE_Items']:
            desc = item['cve']['description']['description_data']
            text = desc[0]['value'] if desc else ''
            matches = vulnerable_cpes(item)
            if not text or text.startswith('** REJECT') or not matches:
                continue
            yield item, text, matches


def advisory(n, cycle, item, text, matches, cwes_known):
    cve = item['cve']['CVE_data_meta']['ID']
    first = matches[0]['cpe23Uri'].split(':')
    vendor_key, product_key = first[3], first[4]
    product = words(product_key) + (' 2' if cycle else '')
    vendor_en = words(vendor_key)
    vendor_ja = VENDORS_JA.get(vendor_key)
    cpes = []
    for m in matches:
        if m['cpe23Uri'] not in cpes:
            cpes.append(m['cpe23Uri'])
        if len(cpes) == 3:
            break
    fixed = next((m.get('versionEndExcluding') for m in matches if m.get('versionEndExcluding')), None)
    cwes = []
    for pt in item['cve']['problemtype']['problemtype_data']:
        for d in pt['description']:
            m = re.fullmatch(r'CWE-(\d+)', d['value'])
            if m and int(m.group(1)) not in cwes:
                cwes.append(int(m.group(1)))
    cwe = cwes[0] if cwes else None
    cwe_ja, cwe_en = cwes_known.get(cwe, (CWE_JA_EXTRA.get(cwe), None)) if cwe else (None, None)
    if not cwe_ja:
        cwe_ja, cwe_en = next(((ja, en) for key, ja, en in KINDS if key in text.lower()), (None, None))
    v3 = item.get('impact', {}).get('baseMetricV3', {}).get('cvssV3')
    v2 = item.get('impact', {}).get('baseMetricV2', {}).get('cvssV2')
    vector = None
    metrics = {}
    if v3:
        vector = 'CVSS:3.1/' + v3['vectorString'].split('/', 1)[1]
        metrics = dict(p.split(':') for p in vector.split('/')[1:])
    elif v2:
        # the wording only: AV, and C/I/A complete as high, partial as low
        m2 = dict(p.split(':') for p in v2['vectorString'].split('/'))
        metrics = {'AV': m2.get('AV'), 'PR': 'N' if m2.get('Au') == 'N' else 'L'}
        for k in ('C', 'I', 'A'):
            metrics[k] = {'C': 'H', 'P': 'L'}.get(m2.get(k), 'N')
    published = datetime.strptime(item['publishedDate'], '%Y-%m-%dT%H:%MZ').replace(tzinfo=timezone.utc)
    published_at = int(published.timestamp()) + cycle * 30 * 86400

    kind_ja = f'{cwe_ja}の脆弱性' if cwe_ja else '脆弱性'
    kind_en = cwe_en if cwe_en else 'a vulnerability'
    who_ja = AV_JA.get(metrics.get('AV'), '第三者によって')
    who_en = AV_EN.get(metrics.get('AV'), 'an attacker')
    if metrics.get('PR') in ('L', 'H'):
        who_ja = 'ログイン可能な利用者によって'
        who_en = 'a logged-in user'
    hits = [k for k in ('C', 'I', 'A') if metrics.get(k) == 'H'] or [k for k in ('C', 'I', 'A') if metrics.get(k) == 'L']
    impact_ja = '、'.join(IMPACT_JA[k] for k in hits) + '可能性があります。' if hits else '影響を受ける可能性があります。'
    impact_en = (f'{who_en[0].upper()}{who_en[1:]} may ' + ', '.join(IMPACT_EN[k] for k in hits) + '.') if hits \
        else 'The product may be affected.'
    ui_ja = '細工されたファイルを開くなどのユーザの操作により、' if metrics.get('UI') == 'R' else ''
    cm_ja = '開発者が提供する情報をもとに、最新版へアップデートしてください。'
    cm_en = 'Update the software to the latest version according to the information provided by the developer.'
    if fixed:
        cm_ja += f'この脆弱性は {product} {fixed} で修正されています。'
        cm_en += f' The issue is fixed in {product} {fixed}.'
    wa_ja = wa_en = ''
    if metrics.get('AV') == 'N' and n % 3 == 0:
        wa_ja = '管理画面へのアクセスを信頼できるネットワークからに限定してください。'
        wa_en = 'Allow access to the management interface from trusted networks only.'
    texts = {
        'ja': {
            'title': f'{product} における{kind_ja}',
            'overview': f'{vendor_ja or vendor_en} が提供する {product} には、{kind_ja}が存在します。',
            'affected': f'- {product}' + (f' {fixed} より前のバージョン' if fixed else ''),
            'description': f'{product} には、{kind_ja}が存在します。{ui_ja}{who_ja}{impact_ja}',
            'impact': f'{who_ja}{impact_ja}',
            'countermeasures': cm_ja,
            'workarounds': wa_ja,
            'contact': f'{vendor_ja or vendor_en}',
        },
        'en': {
            'title': f'{product} vulnerable to {kind_en}' if cwe_en else f'Vulnerability in {product}',
            'overview': f'{product} provided by {vendor_en} contains {kind_en}.' if cwe_en
            else f'{product} provided by {vendor_en} contains a vulnerability.',
            'affected': f'- {product}' + (f' versions prior to {fixed}' if fixed else ''),
            'description': text,
            'impact': impact_en,
            'countermeasures': cm_en,
            'workarounds': wa_en,
            'contact': vendor_en,
        },
    }
    refs = [{'title': r['url'], 'url': r['url']} for r in item['cve']['references']['reference_data']
            if r['url'].startswith(('http://', 'https://'))][:2]
    content = {'kind': None, 'texts': texts, 'cvss3': vector, 'cvss4': None, 'references': refs,
               'cves': [cve], 'cwes': cwes, 'cpes': cpes}
    return {'n': n, 'cve': cve, 'published_at': published_at,
            'vendor': {'key': vendor_key, 'en': vendor_en, 'ja': vendor_ja}, 'product': product,
            'content': content, 'cvss3_tenths': round(v3['baseScore'] * 10) if v3 else None}


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: search_gen.py SHARED_DATA_DIR COUNT OUT.jsonl')
    shared, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    known = cwe_names(shared)
    base = list(records(shared))
    if not base:
        sys.exit(f'search_gen.py: no usable NVD record in {shared}/nvd')
    with open(out, 'w', encoding='utf-8') as f:
        for n in range(count):
            item, text, matches = base[n % len(base)]
            a = advisory(n, n // len(base), item, text, matches, known)
            f.write(json.dumps(a, ensure_ascii=False, separators=(',', ':')) + '\n')
    print(f'search_gen.py: {count} advisories from {len(base)} NVD records', file=sys.stderr)


if __name__ == '__main__':
    main()
