package customer

import (
	"strings"
	"sync"
)

// nicknameTable lists given names with the short forms and other spellings
// a clerk would accept as the same person's first name, one family per
// line: the formal name first, then its variants. A variant may appear in
// several lines ("alex" is short for alexander, alexandra and alejandro).
// Names are written as match keys (see NameKey). The list covers common
// English and Spanish given names in US dealership records; it is data, not
// code, so additions need no other change.
const nicknameTable = `
abigail abby abbie gail
albert al bert bertie
alejandro alex alejo jandro
alexander alex alec xander sasha sandy
alexandra alex alexa sandra sandy lexi sasha
alfred al alfie fred
alfredo fredo
alice allie ally
amanda mandy manda
andrea andie
andrew andy drew
angela angie
anthony tony ant
antonio tony tono
arthur art artie
barbara barb barbie babs
benjamin ben benny benji
bernard bernie
beverly bev
bradley brad
brian bryan
carolina carol caro
caroline carol carrie
catherine cathy kate katie cat kathy catherin katherine kathryn
charles charlie chuck chas chaz carl
christina chris tina christy kristina
christine chris tina christy kristine
christopher chris kit topher cristopher
cynthia cindy
daniel dan danny
daniela dani
david dave davey
deborah deb debbie debra
dennis denny
donald don donnie
dorothy dot dottie
douglas doug
edward ed eddie ted teddy ned
eduardo eddie lalo
elizabeth liz lizzie beth betsy betty eliza libby lisa elisabeth
emily em emmy
eugene gene
francisco frank paco pancho cisco
frances fran frannie
francis frank fran
franklin frank
frederick fred freddie fritz
gabriel gabe
gabriela gaby gabby
gerald gerry jerry
gregory greg
guadalupe lupe
guillermo memo willy
harold hal harry
henry hank harry hal
ignacio nacho
isabel isabella bella izzy
jacob jake
james jim jimmy jamie
janet jan
jeffrey jeff geoffrey
jennifer jen jenny jenn
jessica jess jessie
jesus chuy
joan joanie
john johnny jack jon
jonathan jon jonny nathan
jose pepe chepe
joseph joe joey jos
joshua josh
katherine kate katie kathy kat kathryn catherine
kenneth ken kenny
kimberly kim kimmy
lawrence larry
leonard leo len lenny
louis lou louie
luis lucho
manuel manny manolo
margaret maggie meg peggy marge margie greta
maria mari
maricela chela
matthew matt matty
melissa mel missy
michael mike mikey mick mich
michelle shelly
miguel mike
nathaniel nate nathan nat
nicholas nick nicky
nicole nicki nikki
patricia pat patty trish tricia
patrick pat paddy rick
peter pete
philip phil phillip
rafael rafa
raymond ray
rebecca becky becca
richard rick ricky dick rich richie
ricardo ricky rick
robert rob bob bobby robbie bert
roberto beto rob
rodrigo rigo
ronald ron ronnie
rosa rosie
samantha sam sammy
samuel sam sammy
sandra sandy
stephanie steph stephie
stephen steve stevie steven
steven steve stevie stephen
susan sue susie suzy
teresa terry tess theresa
thomas tom tommy
timothy tim timmy
victoria vicky tori
vincent vince vinny
walter walt wally
william will bill billy willie liam
`

var nicknameIndex = sync.OnceValue(func() map[string][]string {
	idx := make(map[string][]string)
	for line := range strings.Lines(nicknameTable) {
		names := strings.Fields(line)
		if len(names) == 0 {
			continue
		}
		formal := names[0]
		for _, n := range names {
			if !contains(idx[n], formal) {
				idx[n] = append(idx[n], formal)
			}
		}
	}
	return idx
})

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// IsNickname reports whether two given names are forms of one name: a
// nickname and its formal name ("Bob" and "Robert"), two nicknames of the
// same name ("Bobby" and "Rob"), or two spellings listed together ("Steven"
// and "Stephen"). Names are compared by their match keys (see NameKey), so
// case and accents do not matter; equal names are not nicknames of each
// other and give false.
func IsNickname(a, b string) bool {
	a, b = NameKey(a), NameKey(b)
	if a == "" || b == "" || a == b {
		return false
	}
	idx := nicknameIndex()
	for _, fa := range idx[a] {
		if contains(idx[b], fa) {
			return true
		}
	}
	return false
}
