from iduit.cli import main

main()
