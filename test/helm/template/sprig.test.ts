/** The Sprig functions charts use, with Sprig's documented results. */
import { describe, expect, it } from '@jest/globals';
import { render, renderError } from './render-helper.js';

const V = {
  s: 'Hello World',
  n: 3,
  list: ['b', 'a', 'c', 'a'],
  nums: [3, 1, 2],
  m: { b: 2, a: 1, nested: { x: 'y' } },
  empty: '',
  zero: 0,
  t: true,
  f: false,
};

const cases: [string, string][] = [
  // strings
  ['{{ upper "abc" }} {{ lower "ABC" }} {{ title "hello wide world" }} {{ untitle "Hello World" }}', 'ABC abc Hello Wide World hello world'],
  ['{{ trim "  x  " }}|{{ trimAll "$" "$$5.00$" }}|{{ trimPrefix "-" "-x-" }}|{{ trimSuffix "-" "-x-" }}|{{ trimall "ab" "abxba" }}', 'x|5.00|x-|-x|x'],
  ['{{ trunc 5 "hello world" }}|{{ trunc -5 "hello world" }}|{{ trunc 50 "short" }}', 'hello|world|short'],
  ['{{ nospace " a b\tc " }}|{{ repeat 3 "ab" }}|{{ substr 1 3 "hello" }}|{{ substr 2 -1 "hello" }}', 'abc|ababab|el|llo'],
  ['{{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }} {{ contains "x" "hello" }}', 'true true true false'],
  ['{{ replace " " "-" "a b c" }}|{{ "a.b.c" | replace "." "_" }}', 'a-b-c|a_b_c'],
  ['{{ quote "a" 1 .Values.nope }}|{{ squote "a" }}|{{ quote "say \\"hi\\"\\n" }}|{{ cat "a" 1 .Values.nope "b" }}', '"a" "1"|\'a\'|"say \\"hi\\"\\n"|a 1 b'],
  ['{{ indent 2 "a\\nb" }}|{{ nindent 2 "a\\nb" }}', '  a\n  b|\n  a\n  b'],
  ['{{ snakecase "FirstName" }} {{ camelcase "http_server" }} {{ kebabcase "FirstName" }} {{ swapcase "aBc" }} {{ initials "first last" }}', 'first_name HttpServer first-name AbC fl'],
  ['{{ abbrev 5 "hello world" }}|{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ wrap 5 "hello world foo" }}|{{ wrapWith 5 "\\t" "hello world" }}', 'he...|...5678...|hello\nworld\nfoo|hello\tworld'],
  ['{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}', 'one many'],
  ['{{ split "$" "foo$bar$baz" }}|{{ (split "$" "foo$bar$baz")._1 }}|{{ splitList "," "a,b,c" }}|{{ splitn "$" 2 "foo$bar$baz" }}', 'map[_0:foo _1:bar _2:baz]|bar|[a b c]|map[_0:foo _1:bar$baz]'],
  ['{{ join "," .Values.list }}|{{ join "-" (list 1 "x" .Values.nope 2) }}|{{ sortAlpha .Values.list }}|{{ toStrings (list 1 2) }}', 'b,a,c,a|1-x-2|[a a b c]|[1 2]'],
  ['{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ b32enc "hello" }} {{ b32dec "NBSWY3DP" }}', 'aGVsbG8= hello NBSWY3DP hello'],
  ['{{ sha256sum "hello" }}', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ['{{ sha1sum "hello" }} {{ adler32sum "hello" }}', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 103547413'],
  ['{{ regexMatch "^[a-z]+\\\\d$" "abc1" }} {{ regexFind "[0-9]+" "ab12cd345" }} {{ regexFindAll "[0-9]" "a1b2c3" 2 }} {{ regexFindAll "[0-9]" "a1b2c3" -1 }}', 'true 12 [1 2] [1 2 3]'],
  ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-" "$1" }}|{{ regexSplit "z+" "pizza" -1 }}', '-W-xxW-|---|-$1-|[pi a]'],
  ['{{ regexReplaceAll "[^a-z0-9-]" ("My_App.Name" | lower) "-" }}|{{ regexQuoteMeta "1.2.3" }}|{{ regexMatch "(?i)^HELLO$" "hello" }}', 'my-app-name|1\\.2\\.3|true'],
  // numbers
  ['{{ add 1 2 3 }} {{ add1 5 }} {{ sub 5 3 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 8 }}', '6 6 2 24 3 1 5 2'],
  ['{{ add .Values.n 1 }} {{ typeOf (add 1 1) }} {{ add 1.9 1.9 }} {{ int "42" }} {{ int64 "0x1F" }} {{ atoi "12" }} {{ float64 "1.5" }} {{ int 3.7 }}', '4 int64 2 42 31 12 1.5 3'],
  ['{{ addf 0.1 0.2 }} {{ subf 1.5 0.25 }} {{ mulf 1.5 2 }} {{ divf 1 4 }} {{ add1f 1.5 }} {{ maxf 1 2.5 }} {{ minf 1 2.5 }}', '0.3 1.25 3 0.25 2.5 2.5 1'],
  ['{{ floor 1.7 }} {{ ceil 1.2 }} {{ round 3.14159 2 }} {{ round 2.5 0 }}', '1 2 3.14 3'],
  ['{{ until 3 }} {{ untilStep 0 10 3 }} {{ seq 3 }} {{ seq 2 5 }} {{ seq 0 2 6 }}', '[0 1 2] [0 3 6 9] 1 2 3 2 3 4 5 0 2 4 6'],
  ['{{ toDecimal "0777" }} {{ toString 1.5 }} {{ toString (list 1) }}', '511 1.5 [1]'],
  // defaults and flow
  ['{{ default "d" .Values.nope }} {{ default "d" .Values.empty }} {{ default "d" .Values.zero }} {{ default "d" .Values.f }} {{ default "d" "given" }} {{ .Values.t | default "d" }}', 'd d d d given true'],
  ['{{ empty .Values.empty }} {{ empty .Values.list }} {{ empty (dict) }} {{ coalesce .Values.nope "" "c" }} {{ all 1 "a" }} {{ any 0 "" }}', 'true false true c true false'],
  ['{{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }} {{ true | ternary "a" "b" }}', 'yes no a'],
  // lists
  ['{{ list 1 "a" }} {{ first .Values.list }} {{ last .Values.list }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }}', '[1 a] b a [2 3] [1 2]'],
  ['{{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ concat (list 1) (list 2 3) }} {{ reverse (list 1 2 3) }} {{ uniq .Values.list }}', '[1 2] [0 1] [1 2 3] [3 2 1] [b a c]'],
  ['{{ without (list 1 2 3 2) 2 }} {{ has 2 (list 1 2) }} {{ has "x" .Values.list }} {{ compact (list 1 "" 0 "a" .Values.nope) }} {{ chunk 2 (list 1 2 3) }}', '[1 3] true false [1 a] [[1 2] [3]]'],
  ['{{ first (list) }}|{{ slice (list 1 2 3) 1 2 }}', '|[2]'],
  // dicts
  ['{{ $d := dict "b" 1 "a" 2 }}{{ $d }} {{ get $d "a" }} [{{ get $d "zz" }}] {{ hasKey $d "b" }} {{ keys $d }} {{ values $d }}', 'map[a:2 b:1] 2 [] true [a b] [2 1]'],
  ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ unset $d "a" }} {{ pick .Values.m "a" }} {{ omit .Values.m "nested" }}', 'map[a:1 b:2] map[b:2] map[a:1] map[a:1 b:2]'],
  ['{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ dig "nested" "x" "def" .Values.m }} {{ dig "nested" "nope" "def" .Values.m }}', '[1 3] y def'],
  ['{{ merge (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "b" 3 "c" (dict "y" 2)) }}', 'map[a:1 b:3 c:map[x:1 y:2]]'],
  ['{{ mergeOverwrite (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "b" 3 "c" (dict "y" 2)) }}', 'map[a:2 b:3 c:map[x:1 y:2]]'],
  ['{{ merge (dict "on" false "n" 0) (dict "on" true "n" 5) }}', 'map[n:5 on:true]'],
  ['{{ $c := deepCopy .Values.m }}{{ $_ := set $c.nested "x" "z" }}{{ .Values.m.nested.x }}{{ $c.nested.x }} {{ deepEqual (list 1) (list 1) }} {{ deepEqual (list 1) (list 2) }}', 'yz true false'],
  // types
  ['{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "s" }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf .Values }} {{ typeOf (splitList "," "a") }} {{ typeOf .Values.nope }}', 'int float64 string []interface {} map[string]interface {} chartutil.Values []string <nil>'],
  ['{{ kindOf 1 }} {{ kindOf .Values.m }} {{ kindOf .Values.list }} {{ kindIs "map" .Values.m }} {{ kindIs "slice" .Values.list }} {{ typeIs "float64" .Values.n }} {{ kindOf .Values.nope }}', 'int map slice true true true invalid'],
  // paths, urls
  ['{{ base "a/b/c.txt" }} {{ dir "a/b/c.txt" }} {{ ext "c.tar.gz" }} {{ clean "a//b/../c" }} {{ isAbs "/x" }}', 'c.txt a/b .gz a/c true'],
  ['{{ (urlParse "https://u@example.com:8443/p?q=1#f").host }} {{ (urlParse "https://example.com:8443/p").hostname }} {{ urlJoin (dict "scheme" "https" "host" "h" "path" "/p") }}', 'example.com:8443 example.com https://h/p'],
  // semver
  ['{{ semverCompare "^1.2.0" "1.5.1" }} {{ semverCompare "~1.2.3" "1.3.0" }} {{ semverCompare ">1.0 <2.0 || >=3" "3.1.0" }} {{ semverCompare "1.2.x" "1.2.9" }} {{ semverCompare "1.0 - 1.3" "1.4.5" }}', 'true false true true false'],
  ['{{ (semver "v1.2.3-beta.1+build").Major }} {{ (semver "1.2.3").Minor }} {{ (semver "1.2.3-rc1").Prerelease }} {{ semver "v2.1" }}', '1 2 rc1 2.1.0'],
  // placeholders (deterministic)
  ['{{ len (randAlphaNum 16) }} {{ randAlphaNum 8 | eq (randAlphaNum 8) }} {{ uuidv4 }}', '16 true 00000000-0000-4000-8000-000000000000'],
  ['{{ $ca := genCA "ca" 365 }}{{ hasPrefix "-----BEGIN CERTIFICATE-----" $ca.Cert }} {{ hasPrefix "-----BEGIN RSA PRIVATE KEY-----" $ca.Key }}', 'true true'],
  // dates (now is fixed)
  ['{{ now | date "2006-01-02T15:04:05Z07:00" }} {{ dateInZone "Jan 2, 2006" (now) "UTC" }} {{ now | unixEpoch }} {{ (toDate "2006-01-02" "2017-12-31") | date "02/01/2006" }}', '2025-01-01T00:00:00Z Jan 1, 2025 1735689600 31/12/2017'],
  ['{{ duration "95" }} {{ durationRound "2h10m5s" }} {{ dateModify "-1.5h" (now) | date "15:04" }} {{ htmlDate (now) }}', '1m35s 2h 22:30 2025-01-01'],
];

describe('sprig functions', () => {
  it.each(cases)('%s', (src, expected) => {
    expect(render(src, V)).toBe(expected);
  });

  it('merge fills only what is missing or empty, as mergo does', () => {
    expect(render('{{ $d := dict "a" "" "b" "kept" }}{{ merge $d (dict "a" "filled" "b" "x" "c" "new") }}')).toBe('map[a:filled b:kept c:new]');
  });

  it('has no env or expandenv (Helm removes them)', () => {
    expect(renderError('{{ env "HOME" }}').message).toBe('function "env" not defined');
    expect(renderError('{{ expandenv "$HOME" }}').message).toBe('function "expandenv" not defined');
  });

  it('reports bad arguments as Go does', () => {
    expect(renderError('{{ div 1 0 }}').message).toBe('error calling div: runtime error: integer divide by zero');
    expect(renderError('{{ regexMatch "(" "x" }}').message).toMatch(/^error calling regexMatch: error parsing regexp: missing closing \)/);
    expect(renderError('{{ semverCompare "x>>" "1.0.0" }}').message).toBe('error calling semverCompare: improper constraint: x>>');
    expect(renderError('{{ first 1 }}').message).toBe('error calling first: Cannot find first on type int');
    expect(renderError('{{ hasKey .Values.nope "a" }}').message).toBe('wrong type for value; expected map[string]interface {}; got interface {}');
    expect(renderError('{{ upper 1 }}').message).toBe('expected string; found 1');
  });

  it('matches regular expressions in linear time (no catastrophic backtracking)', () => {
    const t0 = Date.now();
    expect(render('{{ regexMatch "^(a+)+$" (printf "%s!" (repeat 5000 "a")) }}')).toBe('false');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
