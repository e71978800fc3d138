#!/usr/bin/python3
"""Writes test/fixtures/csv/real/expected.json: how pandas reads each file of the real-file corpus.

Run with Debian's Python and pandas (apt-get install python3-pandas):
    /usr/bin/python3 scripts/csv-corpus-expected.py
The corpus test (test/unit/datasets/csvCorpus.test.ts) compares our reading with this file, so CI
needs no pandas. Most files are read with pandas' defaults; PANDAS_OPTIONS lists the files pandas
cannot read right without options, and why (the same reading our sniffer finds on its own).
"""
import json
import os
import sys

import pandas as pd

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'csv', 'real')

# file -> (read_csv keyword arguments, why pandas needs them)
PANDAS_OPTIONS = {
    'sklearn__breast_cancer.csv': ({'skiprows': 1, 'header': None}, 'line 1 is a summary ("569,30,malignant,benign"); pandas stops at line 3 with "Expected 4 fields, saw 31"'),
    'sklearn__wine_data.csv': ({'skiprows': 1, 'header': None}, 'line 1 is a summary ("178,13,class_0,class_1,class_2"); pandas would turn 9 columns into an index'),
    'sklearn__boston_house_prices.csv': ({'skiprows': 1}, 'line 1 is a summary ("506,13,,,,,,,,,,,,"); the names are on line 2'),
    'statsmodels__anes96.csv': ({'sep': '\t'}, 'tab-separated'),
    'statsmodels__modechoice.csv': ({'sep': ';'}, 'semicolon-separated'),
    'sklearn__linnerud_exercise.csv': ({'sep': ' '}, 'space-separated'),
    'sklearn__linnerud_physiological.csv': ({'sep': ' '}, 'space-separated'),
    'statsmodels__spector.csv': ({'sep': ' '}, 'space-separated'),
    'statsmodels-tests__survival_data_20_1.csv': ({'sep': ' ', 'header': None}, 'space-separated numbers without a header'),
    'r-cran-data.table__1680-fread-header-encoding.csv': ({'sep': ';', 'encoding': 'latin-1'}, 'semicolon-separated Latin-1 ("Straße")'),
    'r-cran-data.table__csvy_test_comment.csvy': ({'comment': '#'}, 'a YAML header in "#" comment lines'),
    'r-cran-data.table__csvy_test_skip.csvy': ({'skiprows': 10}, 'a 10-line YAML header between "---" lines, then blank lines'),
    'r-cran-data.table__russellCRLF.csv': ({'encoding': 'latin-1'}, 'Latin-1 ("Microcap®")'),
    'r-cran-data.table__russellCRCRLF.csv': ({'encoding': 'latin-1'}, 'Latin-1 ("Microcap®"), lines end in CR CR LF'),
    'r-cran-data.table__utf16le.txt': ({'encoding': 'utf-16'}, 'UTF-16 with a byte-order mark'),
    'r-cran-data.table__issue_1330_fread.txt': ({'sep': '\t'}, 'tab-separated'),
    'r-cran-data.table__issue_773_fread.txt': ({'sep': '|'}, 'pipe-separated'),
    'r-cran-vroom__taxi.tsv': ({'sep': '\t'}, 'tab-separated'),
    'r-cran-data.table__quoted_no_header.csv': ({'header': None}, 'no header: the first row is a person'),
    'statsmodels__E6_jmulti.csv': ({'sep': ' ', 'header': None}, 'space-separated numbers without a header'),
    'statsmodels-tests__cfa_tvpvar_S10.csv': ({'header': None}, 'no header: pandas would take the first row of numbers as names'),
}

# Files whose header is one name short of the rows (R's write.csv row names): pandas makes the
# first column the index; reset_index() gives it back as a column, which we name column_1.
ROW_NAMES = {'statsmodels-tests__dietox.csv'}


def column_kind(s):
    """What a pandas column is: int, float, float-int (float only because of missing values), bool, object, empty."""
    nonnull = s.dropna()
    if len(nonnull) == 0:
        return 'empty'
    if pd.api.types.is_bool_dtype(s):
        return 'bool'
    if pd.api.types.is_integer_dtype(s):
        return 'int'
    if pd.api.types.is_float_dtype(s):
        return 'float-int' if (nonnull == nonnull.round()).all() else 'float'
    return 'object'


def main():
    out = {}
    for f in sorted(os.listdir(HERE)):
        if f == 'expected.json' or f.endswith('.md'):
            continue
        opts, why = PANDAS_OPTIONS.get(f, ({}, None))
        try:
            df = pd.read_csv(os.path.join(HERE, f), **opts)
        except Exception as e:  # noqa: BLE001 - a file pandas cannot read is recorded as such
            out[f] = {'pandasOptions': opts, 'why': why, 'pandasError': f'{type(e).__name__}: {e}'.strip()}
            print(f'{f}: pandas cannot read it: {e}', file=sys.stderr)
            continue
        header = opts.get('header', 0) is not None
        if f in ROW_NAMES:
            df = df.reset_index()
            df = df.rename(columns={'index': 'column_1'})
        cols = []
        for c in df.columns:
            name = str(c)
            if isinstance(c, int):
                name = f'column_{c + 1}'
            elif name.startswith('Unnamed: '):
                name = None  # pandas names a blank header "Unnamed: N"; we name it column_N+1
            cols.append({'name': name, 'kind': column_kind(df[c]), 'nonNull': int(df[c].notna().sum())})
        out[f] = {'pandasOptions': opts, 'why': why, 'rows': int(len(df)), 'header': header, 'columns': cols}
    with open(os.path.join(HERE, 'expected.json'), 'w') as fh:
        json.dump(out, fh, indent=1, ensure_ascii=False)
        fh.write('\n')
    print(f'{len(out)} files written to expected.json (pandas {pd.__version__})', file=sys.stderr)


if __name__ == '__main__':
    main()
