package adf

import (
	"strings"
)

// fields describes how one element's attributes and children map onto a
// struct: attrs and leaves (text-only children the DTD allows once) by DTD
// name, and kids for child elements with structure of their own (it returns
// false for a name it does not take).
type fields struct {
	attrs  map[string]*string
	leaves map[string]*string
	kids   func(name string, c *Node) bool
}

// fill decodes n into f, sending everything f has no place for to ext.
func fill(n *Node, ext *Extensions, f fields) {
	for _, a := range n.Attrs {
		if p, ok := f.attrs[key(a.Name)]; ok && *p == "" && a.Value != "" {
			*p = a.Value
			continue
		}
		ext.Attrs = append(ext.Attrs, a)
	}
	for i := range n.Children {
		c := &n.Children[i]
		if c.Name == "" {
			addText(ext, c.Text)
			continue
		}
		k := key(c.Name)
		if p, ok := f.leaves[k]; ok && *p == "" {
			*p = innerText(c)
			for _, a := range c.Attrs {
				ext.Attrs = append(ext.Attrs, Attr{Elem: k, Name: a.Name, Value: a.Value})
			}
			continue
		}
		if _, ok := f.leaves[k]; !ok && f.kids != nil && f.kids(k, c) {
			continue
		}
		ext.Elements = append(ext.Elements, *c)
	}
}

// addText keeps stray text between child elements: white space is layout,
// anything else is data. Adjacent runs join with a space, as a writer puts
// them together.
func addText(ext *Extensions, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if k := len(ext.Elements); k > 0 && ext.Elements[k-1].Name == "" {
		ext.Elements[k-1].Text += " " + s
		return
	}
	ext.Elements = append(ext.Elements, Node{Text: s})
}

// innerText is the text of a text-only element. Child elements inside it
// (which the DTD does not allow) are kept as their XML text, so nothing is
// lost and writing the value back escapes it.
func innerText(n *Node) string {
	if len(n.Children) == 1 && n.Children[0].Name == "" {
		return n.Children[0].Text
	}
	var b strings.Builder
	for i := range n.Children {
		writeNode(&b, &n.Children[i])
	}
	return b.String()
}

// textValue decodes a text element with attributes (name, phone, price, …).
func textValue(n *Node, ext *Extensions, attrs map[string]*string, value *string) {
	for _, a := range n.Attrs {
		if p, ok := attrs[key(a.Name)]; ok && *p == "" && a.Value != "" {
			*p = a.Value
			continue
		}
		ext.Attrs = append(ext.Attrs, a)
	}
	*value = innerText(n)
}

func decodeADF(n *Node, d *Document) {
	fill(n, &d.Ext, fields{kids: func(k string, c *Node) bool {
		if k != "prospect" {
			return false
		}
		d.Prospects = append(d.Prospects, decodeProspect(c))
		return true
	}})
}

func decodeProspect(n *Node) Prospect {
	var p Prospect
	fill(n, &p.Ext, fields{
		attrs:  map[string]*string{"status": &p.Status},
		leaves: map[string]*string{"requestdate": &p.RequestDate},
		kids: func(k string, c *Node) bool {
			switch k {
			case "id":
				p.IDs = append(p.IDs, decodeID(c))
			case "vehicle":
				p.Vehicles = append(p.Vehicles, decodeVehicle(c))
			case "customer":
				if p.Customer != nil {
					return false
				}
				p.Customer = decodeCustomer(c)
			case "vendor":
				if p.Vendor != nil {
					return false
				}
				p.Vendor = decodeVendor(c)
			case "provider":
				if p.Provider != nil {
					return false
				}
				p.Provider = decodeProvider(c)
			default:
				return false
			}
			return true
		},
	})
	return p
}

func decodeID(n *Node) ID {
	var id ID
	textValue(n, &id.Ext, map[string]*string{"sequence": &id.Sequence, "source": &id.Source}, &id.Value)
	return id
}

func decodeVehicle(n *Node) Vehicle {
	var v Vehicle
	fill(n, &v.Ext, fields{
		attrs: map[string]*string{"interest": &v.Interest, "status": &v.Status},
		leaves: map[string]*string{
			"year": &v.Year, "make": &v.Make, "model": &v.Model, "vin": &v.VIN,
			"stock": &v.Stock, "trim": &v.Trim, "doors": &v.Doors,
			"bodystyle": &v.BodyStyle, "transmission": &v.Transmission,
			"condition": &v.Condition, "pricecomments": &v.PriceComments,
			"comments": &v.Comments,
		},
		kids: func(k string, c *Node) bool {
			switch k {
			case "id":
				v.IDs = append(v.IDs, decodeID(c))
			case "odometer":
				if v.Odometer != nil {
					return false
				}
				o := &Odometer{}
				textValue(c, &o.Ext, map[string]*string{"status": &o.Status, "units": &o.Units}, &o.Value)
				v.Odometer = o
			case "colorcombination":
				var cc ColorCombination
				fill(c, &cc.Ext, fields{leaves: map[string]*string{
					"interiorcolor": &cc.InteriorColor, "exteriorcolor": &cc.ExteriorColor, "preference": &cc.Preference,
				}})
				v.ColorCombinations = append(v.ColorCombinations, cc)
			case "imagetag":
				if v.ImageTag != nil {
					return false
				}
				it := &ImageTag{}
				textValue(c, &it.Ext, map[string]*string{"width": &it.Width, "height": &it.Height, "alttext": &it.AltText}, &it.Value)
				v.ImageTag = it
			case "price":
				if v.Price != nil {
					return false
				}
				v.Price = decodePrice(c)
			case "option":
				var o Option
				fill(c, &o.Ext, fields{
					leaves: map[string]*string{
						"optionname": &o.OptionName, "manufacturercode": &o.ManufacturerCode,
						"stock": &o.Stock, "weighting": &o.Weighting,
					},
					kids: func(k string, c *Node) bool {
						if k != "price" || o.Price != nil {
							return false
						}
						o.Price = decodePrice(c)
						return true
					},
				})
				v.Options = append(v.Options, o)
			case "finance":
				if v.Finance != nil {
					return false
				}
				v.Finance = decodeFinance(c)
			default:
				return false
			}
			return true
		},
	})
	return v
}

func decodePrice(n *Node) *Price {
	p := &Price{}
	textValue(n, &p.Ext, map[string]*string{
		"type": &p.Type, "currency": &p.Currency, "delta": &p.Delta,
		"relativeto": &p.RelativeTo, "source": &p.Source,
	}, &p.Value)
	return p
}

func decodeFinance(n *Node) *Finance {
	f := &Finance{}
	fill(n, &f.Ext, fields{
		leaves: map[string]*string{"method": &f.Method},
		kids: func(k string, c *Node) bool {
			switch k {
			case "amount":
				var a Amount
				textValue(c, &a.Ext, map[string]*string{"type": &a.Type, "limit": &a.Limit, "currency": &a.Currency}, &a.Value)
				f.Amounts = append(f.Amounts, a)
			case "balance":
				if f.Balance != nil {
					return false
				}
				b := &Balance{}
				textValue(c, &b.Ext, map[string]*string{"type": &b.Type, "currency": &b.Currency}, &b.Value)
				f.Balance = b
			default:
				return false
			}
			return true
		},
	})
	return f
}

func decodeCustomer(n *Node) *Customer {
	cu := &Customer{}
	fill(n, &cu.Ext, fields{
		leaves: map[string]*string{"comments": &cu.Comments},
		kids: func(k string, c *Node) bool {
			switch k {
			case "contact":
				if cu.Contact != nil {
					return false
				}
				cu.Contact = decodeContact(c)
			case "id":
				cu.IDs = append(cu.IDs, decodeID(c))
			case "timeframe":
				if cu.Timeframe != nil {
					return false
				}
				cu.Timeframe = decodeTimeframe(c)
			default:
				return false
			}
			return true
		},
	})
	return cu
}

func decodeTimeframe(n *Node) *Timeframe {
	tf := &Timeframe{}
	fill(n, &tf.Ext, fields{leaves: map[string]*string{
		"description": &tf.Description, "earliestdate": &tf.EarliestDate, "latestdate": &tf.LatestDate,
	}})
	// Text directly inside <timeframe> is its DTD content, not stray text.
	var kept []Node
	for _, e := range tf.Ext.Elements {
		if e.Name == "" && tf.Text == "" {
			tf.Text = e.Text
			continue
		}
		kept = append(kept, e)
	}
	tf.Ext.Elements = kept
	return tf
}

func decodeVendor(n *Node) *Vendor {
	v := &Vendor{}
	fill(n, &v.Ext, fields{
		leaves: map[string]*string{"vendorname": &v.VendorName, "url": &v.URL},
		kids: func(k string, c *Node) bool {
			switch k {
			case "id":
				v.IDs = append(v.IDs, decodeID(c))
			case "contact":
				if v.Contact != nil {
					return false
				}
				v.Contact = decodeContact(c)
			default:
				return false
			}
			return true
		},
	})
	return v
}

func decodeProvider(n *Node) *Provider {
	p := &Provider{}
	fill(n, &p.Ext, fields{
		leaves: map[string]*string{"service": &p.Service, "url": &p.URL},
		kids: func(k string, c *Node) bool {
			switch k {
			case "id":
				p.IDs = append(p.IDs, decodeID(c))
			case "name":
				if p.Name != nil {
					return false
				}
				nm := decodeName(c)
				p.Name = &nm
			case "email":
				if p.Email != nil {
					return false
				}
				e := decodeEmail(c)
				p.Email = &e
			case "phone":
				if p.Phone != nil {
					return false
				}
				ph := decodePhone(c)
				p.Phone = &ph
			case "contact":
				if p.Contact != nil {
					return false
				}
				p.Contact = decodeContact(c)
			default:
				return false
			}
			return true
		},
	})
	return p
}

func decodeContact(n *Node) *Contact {
	ct := &Contact{}
	fill(n, &ct.Ext, fields{
		attrs: map[string]*string{"primarycontact": &ct.PrimaryContact},
		kids: func(k string, c *Node) bool {
			switch k {
			case "name":
				ct.Names = append(ct.Names, decodeName(c))
			case "email":
				ct.Emails = append(ct.Emails, decodeEmail(c))
			case "phone":
				ct.Phones = append(ct.Phones, decodePhone(c))
			case "address":
				ct.Addresses = append(ct.Addresses, decodeAddress(c))
			default:
				return false
			}
			return true
		},
	})
	return ct
}

func decodeName(n *Node) Name {
	var nm Name
	textValue(n, &nm.Ext, map[string]*string{"part": &nm.Part, "type": &nm.Type}, &nm.Value)
	return nm
}

func decodeEmail(n *Node) Email {
	var e Email
	textValue(n, &e.Ext, map[string]*string{"preferredcontact": &e.PreferredContact}, &e.Value)
	return e
}

func decodePhone(n *Node) Phone {
	var p Phone
	textValue(n, &p.Ext, map[string]*string{"type": &p.Type, "time": &p.Time, "preferredcontact": &p.PreferredContact}, &p.Value)
	return p
}

func decodeAddress(n *Node) Address {
	var a Address
	fill(n, &a.Ext, fields{
		attrs: map[string]*string{"type": &a.Type},
		leaves: map[string]*string{
			"apartment": &a.Apartment, "city": &a.City, "regioncode": &a.RegionCode,
			"postalcode": &a.PostalCode, "country": &a.Country,
		},
		kids: func(k string, c *Node) bool {
			if k != "street" {
				return false
			}
			var s Street
			textValue(c, &s.Ext, map[string]*string{"line": &s.Line}, &s.Value)
			a.Streets = append(a.Streets, s)
			return true
		},
	})
	return a
}
