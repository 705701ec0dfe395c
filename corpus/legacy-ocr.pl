#!/usr/bin/perl
# Turns correctly accented Vietnamese (stdin) into what an OCR engine without a
# Vietnamese model prints (stdout): most diacritics lost, some misread as other
# letters (ố→6/é, ủ→ti, đ→d, Đ→P), a few words split. Deterministic: the choice for
# each syllable depends only on its position, so corpus/render.sh is reproducible.
use strict; use warnings; use utf8;
use Unicode::Normalize qw(NFD NFC);
binmode STDIN, ':encoding(UTF-8)'; binmode STDOUT, ':encoding(UTF-8)';

my $n = 0;
sub garble {
    my ($w) = @_;
    $n++;
    my $k = ($n * 2654435761) % 97;
    return 'ctia' if $w eq 'của' && $k % 3 == 0;
    return 'cia'  if $w eq 'của' && $k % 3 == 1;
    return 's6'   if $w eq 'số' && $k % 4 == 0;
    return 'sé'   if $w eq 'số' && $k % 4 == 1;
    $w =~ s/^Đ/P/ if $k % 5 == 0;
    $w =~ s/ố/é/g if $k % 3 == 0;
    $w =~ s/ư/ir/g if $k % 7 == 0;
    $w =~ s/ê/é/g  if $k % 4 == 0;
    $w =~ s/ơ/o/g;
    my $d = NFD($w);
    # keep an acute accent now and then (what eng-trained OCR often leaves), drop the rest
    $d =~ s/\x{0301}/\x{0001}/g if $k % 6 == 0;
    $d =~ s/[\x{0300}-\x{036f}]//g;
    $d =~ s/\x{0001}/\x{0301}/g;
    $d =~ tr/đĐ/dD/;
    $d =~ s/^(tr)(o)/$1 $2/ if $k % 11 == 0;
    return NFC($d);
}

while (my $line = <STDIN>) {
    $line = NFC($line);
    $line =~ s/(\p{L}+)/garble($1)/ge;
    print $line;
}
