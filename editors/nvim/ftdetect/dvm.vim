" .dvm files are dvm.
autocmd BufRead,BufNewFile *.dvm setfiletype dvm
